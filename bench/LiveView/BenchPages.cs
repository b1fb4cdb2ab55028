namespace UFBrowsers.Bench.LiveView;

/// <summary>The pages the benchmark's site serves.</summary>
internal static class BenchPages
{
    /// <summary>Static until the automation changes it: every frame after a change is that change's.</summary>
    public const string Still = "<!doctype html><html><head><title>still</title><style>html,body{margin:0;height:100%}</style></head><body><div id='n' style='font:48px sans-serif;padding:40px'>0</div></body></html>";

    /// <summary>A page of some weight for load times: 400 rows in the document and 400 more made by its script.</summary>
    public static readonly string Load =
        "<!doctype html><html><head><title>load</title><style>td{padding:2px 6px;border:1px solid #ccc}.x{color:#345}</style></head><body><h1>Orders</h1><table id='t'>" +
        string.Concat(Enumerable.Range(0, 400).Select(i => $"<tr><td>{i}</td><td class='x'>order {i * 7919 % 10007}</td><td>{i * 31 % 97}.00</td><td><a href='#{i}'>open</a></td></tr>")) +
        "</table><ul id='u'></ul><script>const u=document.getElementById('u');for(let i=0;i<400;i++){const li=document.createElement('li');li.textContent='generated '+i;li.className='x';u.appendChild(li);}</script></body></html>";

    /// <summary>Busy: a 50-row table whose numbers change every 100 ms, a ticker, and a clock.</summary>
    public const string Busy =
        "<!doctype html><html><head><title>busy</title></head><body><h1 id='clock'></h1><div id='ticker'></div><table id='t'></table><script>" +
        "const t=document.getElementById('t');for(let i=0;i<50;i++){const r=t.insertRow();for(let j=0;j<5;j++)r.insertCell().textContent='0';}" +
        "setInterval(()=>{for(let k=0;k<20;k++){const r=t.rows[Math.random()*50|0];r.cells[Math.random()*5|0].textContent=(Math.random()*1000).toFixed(2);}" +
        "document.getElementById('clock').textContent=new Date().toISOString();},100);" +
        "setInterval(()=>{const d=document.getElementById('ticker');const s=document.createElement('span');s.textContent=' EVT'+(Math.random()*1e6|0);d.appendChild(s);if(d.childNodes.length>30)d.removeChild(d.firstChild);},250);" +
        "</script></body></html>";
}
