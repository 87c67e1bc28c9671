import Messages

/// Reads a log file's lines backwards from an offset, a chunk at a time, for `tail`.
struct LogTailScanner {
    private let file: LogFile
    /// Everything before this offset is still to be scanned.
    private var start: Int64
    /// The end of a line whose beginning lies before `start`.
    private var lineEnd: [UInt8] = []

    init(file: LogFile, end: Int64) {
        self.file = file
        start = end
    }

    /// The next lines going backwards, newest first and without their newline; nil when the whole file
    /// is scanned.
    mutating func previousLines() throws(EngineError) -> [ArraySlice<UInt8>]? {
        guard start > 0 else {
            defer { lineEnd = [] }
            return lineEnd.isEmpty ? nil : [lineEnd[...]]
        }
        let count = Int(min(Int64(LogLineReader.chunkSize), start))
        start -= Int64(count)
        let bytes = try file.read(at: start, count: count) + lineEnd
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        lineEnd = Array(lines.removeFirst())
        return lines.reversed().filter { !$0.isEmpty }
    }
}
