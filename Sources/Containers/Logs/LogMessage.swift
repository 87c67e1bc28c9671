/// One entry of a container's log: a line with its newline, or a piece of a line without one (a line
/// longer than 16 KiB, or one the container left unfinished when it stopped).
public struct LogMessage: Sendable, Hashable {
    public var stream: StdStream
    public var bytes: [UInt8]
    public var timestamp: LogTimestamp

    public init(stream: StdStream, bytes: [UInt8], timestamp: LogTimestamp) {
        self.stream = stream
        self.bytes = bytes
        self.timestamp = timestamp
    }
}
