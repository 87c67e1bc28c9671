import Messages
import NIOCore

/// How process output travels to clients: raw for a terminal, else Docker's multiplexed frames
/// (`[stream, 0, 0, 0, size as UInt32 big-endian]` + payload).
enum StreamFraming {
    static func frame(_ chunk: OutputChunk, tty: Bool, timestamps: Bool = false) -> ByteBuffer {
        var payload = chunk.bytes
        if timestamps { payload = Array((UnixTime.rfc3339(nano: chunk.timeNano) + " ").utf8) + payload }
        guard !tty else { return ByteBuffer(bytes: payload) }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(8 + payload.count)
        buffer.writeBytes([chunk.stream.rawValue, 0, 0, 0])
        buffer.writeInteger(UInt32(payload.count), endianness: .big)
        buffer.writeBytes(payload)
        return buffer
    }

    /// The Content-Type of a stream: multiplexed streams are labelled as such from API 1.42 on.
    static func contentType(tty: Bool, version: APIVersion) -> String {
        !tty && !(version < APIVersion(major: 1, minor: 42))
            ? "application/vnd.docker.multiplexed-stream" : "application/vnd.docker.raw-stream"
    }
}
