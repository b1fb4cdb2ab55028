namespace UFBrowsers.Api.LiveView;

public enum LiveViewMode
{
    /// <summary>Frames only: input from such a viewer is refused by the server.</summary>
    ViewOnly = 0,

    /// <summary>Frames, and the viewer's mouse, keyboard and scrolling go to the page.</summary>
    Interactive = 1,
}
