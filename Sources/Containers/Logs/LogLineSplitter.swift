/// Cuts each stream's bytes into log entries as Docker's log copier does: at every `\n` (kept in the
/// entry), and into pieces of 16 KiB without a newline when a line grows longer. A line's unfinished end
/// waits for more bytes of its stream, or for ``flush(at:)``. The pieces of one long line share the
/// timestamp of the first.
struct LogLineSplitter {
    /// The longest entry: a longer line is logged as several pieces of this size and a last one.
    static let maxEntryLength = 16 * 1024

    private var unfinished: [StdStream: [UInt8]] = [:]
    /// The timestamp of the first piece of a long line whose last piece is still to come.
    private var longLineStart: [StdStream: LogTimestamp] = [:]

    /// The entries `bytes` completes on `stream`, stamped `now`.
    mutating func split(_ bytes: some Collection<UInt8>, from stream: StdStream, at now: LogTimestamp) -> [LogMessage] {
        var buffer = unfinished.removeValue(forKey: stream) ?? []
        buffer.append(contentsOf: bytes)
        var entries: [LogMessage] = []
        var start = 0
        while start < buffer.count {
            let window = buffer[start..<min(buffer.count, start + Self.maxEntryLength)]
            if let newline = window.firstIndex(of: UInt8(ascii: "\n")) {
                entries.append(LogMessage(stream: stream, bytes: Array(buffer[start...newline]), timestamp: longLineStart[stream] ?? now))
                longLineStart[stream] = nil
                start = newline + 1
            } else if window.count == Self.maxEntryLength {
                entries.append(piece(Array(window), of: stream, at: now))
                start = window.endIndex
            } else {
                break
            }
        }
        if start < buffer.count { unfinished[stream] = Array(buffer[start...]) }
        return entries
    }

    /// The unfinished ends of both streams, as entries without a newline.
    mutating func flush(at now: LogTimestamp) -> [LogMessage] {
        var entries: [LogMessage] = []
        for stream in [StdStream.stdout, .stderr] {
            if let bytes = unfinished.removeValue(forKey: stream) { entries.append(piece(bytes, of: stream, at: now)) }
        }
        longLineStart = [:]
        return entries
    }

    private mutating func piece(_ bytes: [UInt8], of stream: StdStream, at now: LogTimestamp) -> LogMessage {
        let timestamp = longLineStart[stream] ?? now
        longLineStart[stream] = timestamp
        return LogMessage(stream: stream, bytes: bytes, timestamp: timestamp)
    }
}
