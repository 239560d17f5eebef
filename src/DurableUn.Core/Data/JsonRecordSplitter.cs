using System.Text.Json;

namespace DurableUn.Data;

/// <summary>
/// Splits a JSON array or JSON Lines stream into its records (array elements, non-blank lines) and hands each one
/// over as bytes, holding at most one record plus one read chunk in memory: the window over the stream starts at
/// one chunk and doubles up to the record limit plus one chunk. A record that grows past the limit is refused as
/// soon as it does, with the rest of it left unread, so a 50 MB line costs one window and no scan of the rest.
/// A UTF-8 byte-order mark is skipped; offsets handed over count from the byte after it.
/// Not: parsing records (the caller does) or telling the form from the extension (the first non-blank byte does).
/// </summary>
internal sealed class JsonRecordSplitter
{
    /// 64 KiB: one read from the file; a TOFU file (~100 KB) takes two, and a record may straddle reads.
    private const int ChunkBytes = 64 * 1024;

    public delegate void RecordHandler(int row, ReadOnlyMemory<byte> record, long offset);

    private readonly string _file;
    private readonly Stream _stream;
    private readonly int _maxRecordBytes;
    private byte[] _bytes = new byte[ChunkBytes];
    private int _start;     // first byte of the window not yet handed over or skipped
    private int _end;       // one past the last byte read
    private long _offset;   // stream offset (after the byte-order mark) of _bytes[0]
    private bool _atEnd;

    private JsonRecordSplitter(string file, Stream stream, int maxRecordBytes) =>
        (_file, _stream, _maxRecordBytes) = (file, stream, maxRecordBytes);

    /// <summary>Calls <paramref name="onRecord"/> for every record in order; throws a <see cref="DataFormatException"/>
    /// naming the row for a record over the limit and for malformed JSON around the records.</summary>
    public static void Split(string file, Stream stream, int maxRecordBytes, RecordHandler onRecord)
    {
        var splitter = new JsonRecordSplitter(file, stream, maxRecordBytes);
        splitter.SkipByteOrderMark();
        if (splitter.FirstNonBlank() == '[') splitter.SplitArray(onRecord);
        else splitter.SplitLines(onRecord);
    }

    private int Capacity => _maxRecordBytes + ChunkBytes;

    /// Moves the unread bytes to the front of the window, growing it when full, and reads once more; false when
    /// nothing was added (end of stream, or the window is at capacity).
    private bool Fill()
    {
        if (_atEnd) return false;
        if (_start > 0)
        {
            Buffer.BlockCopy(_bytes, _start, _bytes, 0, _end - _start);
            _offset += _start;
            _end -= _start;
            _start = 0;
        }
        if (_end == _bytes.Length)
        {
            if (_bytes.Length >= Capacity) return false;
            Array.Resize(ref _bytes, Math.Min(Capacity, _bytes.Length * 2));
        }
        var read = _stream.Read(_bytes, _end, _bytes.Length - _end);
        if (read == 0) _atEnd = true;
        _end += read;
        return read > 0;
    }

    private void SkipByteOrderMark()
    {
        while (_end < 3 && Fill()) { }
        if (!_bytes.AsSpan(0, _end).StartsWith("\uFEFF"u8)) return;
        _start = 3;
        _offset = -3;
    }

    // The first byte that is not blank (as the whole-file reader judged it), or -1 for a blank stream; nothing is consumed.
    private int FirstNonBlank()
    {
        for (var at = _start; ; at++)
        {
            if (at == _end)
            {
                var seen = at - _start;
                if (_end - _start >= Capacity) (_start, seen) = (_end, 0);   // a window of blanks: none of them is a record
                if (!Fill()) return -1;
                at = _start + seen;
            }
            if (!char.IsWhiteSpace((char)_bytes[at])) return _bytes[at];
        }
    }

    private void SplitLines(RecordHandler onRecord)
    {
        var row = 0;
        var scanned = 0;   // bytes of the current line already searched for its newline
        while (true)
        {
            var newline = _bytes.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline < 0)
            {
                scanned = _end - _start;
                if (scanned > _maxRecordBytes)
                {
                    if (!IsBlank(_bytes.AsSpan(_start, scanned))) throw TooLong(row);
                    (_start, scanned) = (_end, 0);   // a long run of blanks holds no record
                }
                if (Fill()) continue;
                if (_end > _start && !IsBlank(_bytes.AsSpan(_start, _end - _start)))
                    onRecord(row, _bytes.AsMemory(_start, _end - _start), _offset + _start);
                return;
            }
            var line = _bytes.AsMemory(_start, scanned + newline);
            if (!IsBlank(line.Span)) onRecord(row++, line, _offset + _start);
            _start += scanned + newline + 1;
            scanned = 0;
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    private void SplitArray(RecordHandler onRecord)
    {
        var state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var row = 0;
        var opened = false;
        var closed = false;
        try
        {
            while (!closed)
            {
                var final = _atEnd;
                var windowStart = _start;
                var reader = new Utf8JsonReader(_bytes.AsSpan(_start, _end - _start), final, state);
                while (true)
                {
                    var before = reader.CurrentState;
                    var consumed = (int)reader.BytesConsumed;
                    // an incomplete token or element: keep its bytes in the window and read more of them
                    if (!reader.Read()) { (state, _start) = (before, windowStart + consumed); break; }
                    if (!opened) { opened = true; continue; }   // the '[' (the first non-blank byte was one)
                    if (reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == 0)
                    {
                        (closed, _start) = (true, windowStart + (int)reader.BytesConsumed);
                        break;
                    }
                    var tokenStart = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip()) { (state, _start) = (before, windowStart + consumed); break; }
                    var start = windowStart + tokenStart;
                    onRecord(row++, _bytes.AsMemory(start, windowStart + (int)reader.BytesConsumed - start), _offset + start);
                }
                if (closed) break;
                if (final) throw new JsonException("the file ends before the array's closing ']'");
                if (_bytes.AsSpan(_start, _end - _start).TrimStart(" \t\r\n,"u8).Length > _maxRecordBytes) throw TooLong(row);
                if (!Fill() && !_atEnd) throw TooLong(row);   // a full window of blanks and commas before the record
            }
            do
            {
                if (!_bytes.AsSpan(_start, _end - _start).Trim(" \t\r\n"u8).IsEmpty)
                    throw new JsonException("content after the closing ']'");
                _start = _end;
            }
            while (Fill());
        }
        catch (JsonException e)
        {
            RowFileReader.ThrowIfInvalidUtf8(_file, row, _bytes.AsSpan(_start, _end - _start), _offset + _start);
            throw new DataFormatException(_file, row, null, $"invalid JSON: {e.Message}", e);
        }
    }

    private DataFormatException TooLong(int row) => RowFileReader.RecordTooLong(_file, row, $"more than {_maxRecordBytes}");
}
