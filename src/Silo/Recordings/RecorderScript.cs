using System.Reflection;

namespace UFBrowsers.Silo.Recordings;

/// <summary>
/// What a recorded page runs: rrweb's recorder (the npm package, embedded by the build) and a few lines that batch its
/// events and hand them to the control plane through a CDP binding. Both live in an isolated world of their own
/// (<see cref="World"/>): the page's scripts cannot see rrweb, the binding or its events, nor call the binding to forge
/// them, and a page that looks for automation finds no global of ours. The cost of the isolated world: rrweb's hooks on
/// prototypes (programmatic <c>insertRule</c>, <c>input.value=</c> set by the page's own scripts) see only their own
/// world, so those changes are missed; DOM mutations, input events, scrolling, the mouse and the viewport are recorded.
/// </summary>
public static class RecorderScript
{
    /// <summary>The isolated world the recorder runs in, and where the binding is exposed.</summary>
    public const string World = "ufb-recorder";

    /// <summary>The binding the recorder calls with a JSON array of events; arrives as <c>Runtime.bindingCalled</c>.</summary>
    public const string Binding = "__ufbRecord";

    /// <summary>Flushes the page's batch at once (evaluated in the recorder's world at the end of a session).</summary>
    public const string FlushExpression = "globalThis.__ufbRecorder && globalThis.__ufbRecorder.flush()";

    /// <summary>Stops recording in the page (evaluated in the recorder's world when the recording is truncated).</summary>
    public const string StopExpression = "globalThis.__ufbRecorder && globalThis.__ufbRecorder.stop()";

    private static readonly Lazy<string> Text = new(Build);

    public static string Source => Text.Value;

    private static string Build()
    {
        using var stream = typeof(RecorderScript).Assembly.GetManifestResourceStream("UFBrowsers.Silo.Recordings.rrweb-record.js")
            ?? throw new InvalidOperationException("rrweb's recorder is not embedded: the build installs it with npm (web/package.json).");
        using var reader = new StreamReader(stream);
        var rrweb = reader.ReadToEnd();
        var sourceMap = rrweb.LastIndexOf("//# sourceMappingURL=", StringComparison.Ordinal);
        if (sourceMap >= 0)
        {
            rrweb = rrweb[..sourceMap];
        }

        // Only the top frame records: rrweb records same-origin frames from there, and a recorder per frame would make
        // streams that replay as the whole page. Recording starts after the load event (see below). Events go out in
        // batches (at most every 500 ms, or 200 events), and at once when the page is hidden or unloads, so navigating away
        // loses nothing.
        // rrweb itself is evaluated only when recording starts, after the load event: until then a new document pays for
        // scanning its source and nothing more.
        return "(function () {\n" +
               "if (globalThis.__ufbRecorder || window.top !== window) return;\n" +
               "function loadRrweb() {\n" + rrweb + "\n}\n" +
               """
               ;(function () {
                 var batch = [], timer = 0, stopped = false, stopRrweb = null;
                 function flush() {
                   if (timer) { clearTimeout(timer); timer = 0; }
                   if (!batch.length) return;
                   // The binding may come into a new document's world just after this script ran: keep the batch until it has.
                   var send = globalThis.__ufbRecord;
                   if (typeof send !== 'function') { timer = setTimeout(flush, 50); return; }
                   var events = batch; batch = [];
                   try { send(JSON.stringify(events)); } catch (e) { }
                 }
                 function start() {
                   if (stopped || stopRrweb) return;
                   try {
                     if (!globalThis.rrwebRecord) loadRrweb.call(globalThis);
                     stopRrweb = globalThis.rrwebRecord.record({
                       emit: function (event) {
                         if (stopped) return;
                         batch.push(event);
                         if (batch.length >= 200) flush(); else if (!timer) timer = setTimeout(flush, 500);
                       },
                       sampling: { mousemove: 50, scroll: 150, media: 800, input: 'last' },
                       recordCanvas: false, collectFonts: false, inlineImages: false
                     }) || null;
                     // The first snapshot (the whole document) goes out now, not with the next batch or at the next
                     // navigation's pagehide, where serialising it would delay the next page.
                     setTimeout(flush, 0);
                   } catch (e) { stopped = true; }
                 }
                 // The first snapshot is taken once the page has loaded (or a second after its DOM is ready, should loading
                 // never end), off the page's own critical path: the snapshot holds the whole document as it is then.
                 if (document.readyState === 'complete') setTimeout(start, 0);
                 else {
                   addEventListener('load', function () { setTimeout(start, 0); }, { once: true });
                   document.addEventListener('DOMContentLoaded', function () { setTimeout(start, 1000); }, { once: true });
                 }
                 addEventListener('pagehide', flush, true);
                 document.addEventListener('visibilitychange', flush, true);
                 globalThis.__ufbRecorder = {
                   flush: flush,
                   stop: function () { stopped = true; batch = []; if (stopRrweb) stopRrweb(); }
                 };
               })();
               })();
               """;
    }
}
