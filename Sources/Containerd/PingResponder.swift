import NIOCore

/// Answers containerd's HTTP/2 PINGs itself, below NIOHTTP2Handler, so they never count against
/// swift-nio-http2's control-frame rate limit (200 PING/SETTINGS/… per 30 s; going over it closes the
/// connection with ENHANCE_YOUR_CALM and fails every open call, the long `Tasks.Wait`s included).
///
/// containerd 1.6's grpc-go sends a bandwidth-estimation PING for nearly every request that carries
/// data — about one per RPC — and grpc-swift-nio-transport 2.9.2 has no setting for that limit. The handler sits
/// at the head of the pipeline and scans the server's frames (the server sends no preface): a PING
/// without ACK is answered at once with a PING ACK carrying the same 8 bytes and dropped; every
/// other byte is passed on unchanged (as slices of the read buffer, no copies).
final class PingResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private static let headerLength = 9
    private static let pingType: UInt8 = 6
    private static let ackFlag: UInt8 = 1

    /// Bytes of a frame header, or of a whole PING frame, not complete yet.
    private var held = ByteBuffer()
    /// Payload bytes of the current (non-PING) frame still to pass on.
    private var passing = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var input = unwrapInboundIn(data)
        while input.readableBytes > 0 {
            if passing > 0 {
                let n = min(passing, input.readableBytes)
                passing -= n
                if let slice = input.readSlice(length: n) { context.fireChannelRead(wrapInboundOut(slice)) }
                continue
            }
            // Collect a header (and a PING's payload) in `held`.
            hold(Self.headerLength - held.readableBytes, from: &input)
            guard held.readableBytes >= Self.headerLength,
                let lengthAndType = held.getInteger(at: held.readerIndex, as: UInt32.self),
                let flags = held.getInteger(at: held.readerIndex + 4, as: UInt8.self)
            else { break }
            let length = Int(lengthAndType >> 8)
            if UInt8(truncatingIfNeeded: lengthAndType) == Self.pingType, flags & Self.ackFlag == 0, length == 8 {
                hold(Self.headerLength + 8 - held.readableBytes, from: &input)
                guard held.readableBytes == Self.headerLength + 8,
                    var payload = held.getSlice(at: held.readerIndex + Self.headerLength, length: 8)
                else { break }
                var ack = context.channel.allocator.buffer(capacity: Self.headerLength + 8)
                ack.writeInteger(UInt32(8) << 8 | UInt32(Self.pingType), as: UInt32.self)  // length 8, type PING
                ack.writeInteger(Self.ackFlag)
                ack.writeInteger(UInt32(0))  // stream 0
                ack.writeBuffer(&payload)
                context.writeAndFlush(wrapOutboundOut(ack), promise: nil)
            } else {
                passing = length
                context.fireChannelRead(wrapInboundOut(held))
            }
            held = context.channel.allocator.buffer(capacity: Self.headerLength + 8)
        }
    }

    /// Moves up to `count` bytes from the front of `input` to the end of `held`.
    private func hold(_ count: Int, from input: inout ByteBuffer) {
        guard count > 0, var part = input.readSlice(length: min(count, input.readableBytes)) else { return }
        held.writeBuffer(&part)
    }
}
