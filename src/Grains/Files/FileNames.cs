using System.Globalization;
using System.Text;

namespace UFBrowsers.Grains.Files;

/// <summary>
/// The one rule for a file name a client gives (an upload's, or a download's it asks for): a plain name, never a path. Names
/// with a path separator, <c>.</c> and <c>..</c>, control and format characters (which make a name show as another), and
/// names over 255 UTF-8 bytes (a Linux file name's limit) are refused, not cleaned up.
/// </summary>
public static class FileNames
{
    public const int MaxUtf8Bytes = 255;

    public static bool IsPlain(string? name)
    {
        if (string.IsNullOrEmpty(name) || name is "." or ".." || name.Trim().Length == 0)
        {
            return false;
        }

        if (!name.IsNormalized(NormalizationForm.FormC) || Encoding.UTF8.GetByteCount(name) > MaxUtf8Bytes)
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is '/' or '\\' or '\0')
            {
                return false;
            }

            if (char.IsSurrogate(c))
            {
                if (!char.IsSurrogatePair(name, i))
                {
                    return false;
                }

                i++;
                continue;
            }

            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.Control:
                case UnicodeCategory.Format:
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                    return false;
            }
        }

        return true;
    }

    /// <summary>Chromium's name for a download still in progress.</summary>
    public static bool IsPartialDownload(string name) => name.EndsWith(".crdownload", StringComparison.OrdinalIgnoreCase);
}
