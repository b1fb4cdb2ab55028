using Microsoft.Extensions.Time.Testing;
using UFBrowsers.Api.LiveView;

namespace UFBrowsers.Api.Tests.LiveView;

public sealed class ScreencastPacerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly FakeTimeProvider _time = new();
    private readonly ScreencastPacer _pacer;
    private byte _image;

    public ScreencastPacerTests() => _pacer = new ScreencastPacer(Interval, _time);

    [Fact]
    public void A_frame_that_comes_too_soon_stops_the_screencast_until_the_next_is_due()
    {
        Assert.Equal(ScreencastDecision.Send, _pacer.OnFrame(1, NewImage()));
        _time.Advance(TimeSpan.FromMilliseconds(16));

        Assert.Equal(ScreencastDecision.Stop, _pacer.OnFrame(1, NewImage()));
        Assert.True(_pacer.Paused);
        var (delay, pause) = _pacer.RestartAfter();
        Assert.Equal(TimeSpan.FromMilliseconds(84), delay);

        _time.Advance(delay);
        Assert.True(_pacer.TryRestart(pause));
        Assert.False(_pacer.Paused);
        // Sent; and the page is known to be busy, so the screencast stops again at once.
        Assert.Equal(ScreencastDecision.SendAndStop, _pacer.OnFrame(2, NewImage()));
    }

    [Fact]
    public void Frames_still_on_their_way_from_a_stopped_screencast_are_dropped_and_the_restarted_one_is_not()
    {
        _pacer.OnFrame(1, NewImage());
        _time.Advance(TimeSpan.FromMilliseconds(16));
        Assert.Equal(ScreencastDecision.Stop, _pacer.OnFrame(1, NewImage()));
        _time.Advance(TimeSpan.FromMilliseconds(16));

        Assert.Equal(ScreencastDecision.Drop, _pacer.OnFrame(1, NewImage()));
        _time.Advance(TimeSpan.FromMilliseconds(200));
        // Late even once the next frame is due: it belongs to the stopped screencast.
        Assert.Equal(ScreencastDecision.Drop, _pacer.OnFrame(1, NewImage()));

        Assert.True(_pacer.TryRestart(_pacer.RestartAfter().Pause));
        Assert.Equal(ScreencastDecision.SendAndStop, _pacer.OnFrame(2, NewImage()));
    }

    [Fact]
    public void Every_frame_not_sent_of_a_running_screencast_stops_it_so_none_is_left_unacknowledged()
    {
        // The reverted pacing left a restarted screencast's frames unacknowledged while it thought itself paused, and the
        // browser stops sending after a few of those. Here a frame is only ever dropped when its screencast was stopped.
        var started = _time.GetTimestamp();
        var screencast = 1;
        var sent = 0;
        var captured = 0;
        for (var step = 0; step < 1000; step++)
        {
            var decision = _pacer.OnFrame(screencast, NewImage());
            captured++;
            Assert.NotEqual(ScreencastDecision.Drop, decision);
            if (decision is ScreencastDecision.Send or ScreencastDecision.SendAndStop)
            {
                sent++;
            }

            if (decision != ScreencastDecision.Send)
            {
                Assert.Contains(decision, new[] { ScreencastDecision.Stop, ScreencastDecision.SendAndStop });
                Assert.True(_pacer.Paused);
                Assert.Equal(ScreencastDecision.Drop, _pacer.OnFrame(screencast, NewImage()));
                var (delay, pause) = _pacer.RestartAfter();
                _time.Advance(delay);
                Assert.True(_pacer.TryRestart(pause));
                screencast++;
                // A start sends the page as it is at once.
                continue;
            }

            _time.Advance(TimeSpan.FromMilliseconds(16));
        }

        // One frame per interval over the time the loop took, and no fewer.
        var intervals = (int)(_time.GetElapsedTime(started) / Interval);
        Assert.InRange(sent, intervals - 1, intervals + 1);
        // Once the page is known to be busy, each start of the screencast captures one frame, and it is sent.
        Assert.InRange(captured, sent, sent + 2);
    }

    [Fact]
    public void While_the_page_is_busy_the_screencast_stops_after_each_frame_sent_and_runs_on_once_it_is_still()
    {
        _pacer.OnFrame(1, NewImage());
        _time.Advance(TimeSpan.FromMilliseconds(16));
        Assert.Equal(ScreencastDecision.Stop, _pacer.OnFrame(1, NewImage()));
        _time.Advance(_pacer.RestartAfter().Delay);
        Assert.True(_pacer.TryRestart(_pacer.RestartAfter().Pause));

        var busy = NewImage();
        Assert.Equal(ScreencastDecision.SendAndStop, _pacer.OnFrame(2, busy));
        Assert.True(_pacer.Paused);
        _time.Advance(_pacer.RestartAfter().Delay);
        Assert.True(_pacer.TryRestart(_pacer.RestartAfter().Pause));

        // The page went still: the start sends it as it was, and the screencast runs on.
        Assert.Equal(ScreencastDecision.AcknowledgeOnly, _pacer.OnFrame(3, [.. busy]));
        Assert.False(_pacer.Paused);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(ScreencastDecision.Send, _pacer.OnFrame(3, NewImage()));
        Assert.False(_pacer.Paused);
    }

    [Fact]
    public void A_frame_the_same_as_the_last_sent_is_acknowledged_without_being_sent_and_the_next_change_goes_at_once()
    {
        var still = NewImage();
        Assert.Equal(ScreencastDecision.Send, _pacer.OnFrame(1, still));
        _time.Advance(TimeSpan.FromMilliseconds(20));

        // A restarted screencast sends the page as it is: the same image means the page went still.
        Assert.Equal(ScreencastDecision.AcknowledgeOnly, _pacer.OnFrame(1, [.. still]));
        Assert.False(_pacer.Paused);

        _time.Advance(TimeSpan.FromMilliseconds(90));
        Assert.Equal(ScreencastDecision.Send, _pacer.OnFrame(1, NewImage()));
    }

    [Fact]
    public void A_pause_overtaken_by_a_tab_switch_or_a_later_pause_does_not_restart()
    {
        _pacer.OnFrame(1, NewImage());
        _time.Advance(TimeSpan.FromMilliseconds(10));
        _pacer.OnFrame(1, NewImage());
        var first = _pacer.RestartAfter().Pause;

        _pacer.Reset();
        Assert.False(_pacer.TryRestart(first));
        Assert.False(_pacer.Paused);
        // The new tab's ids start again, and its first frame goes at once.
        Assert.Equal(ScreencastDecision.Send, _pacer.OnFrame(1, NewImage()));

        _time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(ScreencastDecision.Stop, _pacer.OnFrame(1, NewImage()));
        var second = _pacer.RestartAfter().Pause;
        Assert.False(_pacer.TryRestart(first));
        Assert.True(_pacer.TryRestart(second));
        Assert.False(_pacer.TryRestart(second));
    }

    private byte[] NewImage() => [0xFF, 0xD8, ++_image, 0xFF, 0xD9];
}
