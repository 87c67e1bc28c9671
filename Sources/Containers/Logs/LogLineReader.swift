import Messages

/// Reads a log file's entries forwards, a chunk at a time, from an offset on; an entry not yet complete
/// (no newline yet) waits for a later call.
struct LogLineReader {
    static let chunkSize = 64 * 1024

    let file: LogFile
    private var offset: Int64
    private var unfinished: [UInt8] = []

    init(file: LogFile, offset: Int64 = 0) {
        self.file = file
        self.offset = offset
    }

    /// The complete lines, without their newline, of the next chunk before `limit` (nil = the end of the
    /// file); nil when nothing is left to read now.
    mutating func nextLines(before limit: Int64? = nil) throws(EngineError) -> [ArraySlice<UInt8>]? {
        let count = limit.map { Int(min(Int64(Self.chunkSize), $0 - offset)) } ?? Self.chunkSize
        guard count > 0 else { return nil }
        let chunk = try file.read(at: offset, count: count)
        guard !chunk.isEmpty else { return nil }
        offset += Int64(chunk.count)
        let bytes = unfinished + chunk
        guard let lastNewline = bytes.lastIndex(of: UInt8(ascii: "\n")) else {
            unfinished = bytes
            return []
        }
        unfinished = Array(bytes[(lastNewline + 1)...])
        return bytes[..<lastNewline].split(separator: UInt8(ascii: "\n"))
    }
}
