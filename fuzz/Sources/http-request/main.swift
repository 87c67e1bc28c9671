@testable import EngineAPI
import NIOCore
import NIOEmbedded
import NIOHTTP1

/// The input as bytes a client sends on a connection: the fast path's own parser (`ImmediateRequest`),
/// then the codec berthd configures (NIO's decoder, bytes after an upgrade forwarded) and, for each
/// request head, berthd's reading of it (path and query decoding, the query helpers, Content-Length).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequest(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    _ = ImmediateRequest.parse(bytes)

    let channel = EmbeddedChannel(handler: ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)))
    defer { _ = try? channel.finish() }
    // A malformed request throws here; the requests decoded before it are still read below.
    _ = try? channel.writeInbound(ByteBuffer(bytes: bytes))
    while let part = try? channel.readInbound(as: HTTPServerRequestPart.self) {
        guard case .head(let head) = part else { continue }
        let request = HTTPRequest(method: head.method, uri: head.uri, headers: head.headers)
        for name in request.query.keys {
            _ = request.query(name)
            _ = request.flag(name)
        }
        _ = head.headers.first(name: "content-length").flatMap { Int64($0) }
        _ = try? FilterArguments.parse(request.query("filters"))
    }
    return 0
}
