import NIOCore
import NIOHTTP1

/// A whole response encoded once as HTTP/1.1 bytes, framed as ``HTTPConnection`` frames a `.bytes` body,
/// and then written as it is: what ``HTTPResponder/immediateResponse(to:)`` answers.
public struct EncodedResponse: Sendable {
    /// The response to `GET`: head and body.
    let whole: ByteBuffer
    /// The response to `HEAD`: the same head (its `Content-Length` describes the body) without the body.
    let headOnly: ByteBuffer

    /// Encodes `response`; nil for one that is not `.bytes`, sets `Connection` (these bytes are written on
    /// kept-alive connections) or has an invalid field.
    public init?(_ response: HTTPResponse) {
        guard case .bytes(let body) = response.body, !response.headers.contains(name: "connection") else {
            return nil
        }
        var headers = response.headers
        headers.replaceOrAdd(name: "content-length", value: String(body.readableBytes))
        headers.remove(name: "transfer-encoding")
        var text = "HTTP/1.1 \(response.status.code) \(response.status.reasonPhrase)\r\n"
        for (name, value) in headers {
            guard HTTPField.isValid(name: name, value: value) else { return nil }
            text += "\(name): \(value)\r\n"
        }
        self.headOnly = ByteBuffer(string: text + "\r\n")
        var whole = self.headOnly
        whole.writeImmutableBuffer(body)
        self.whole = whole
    }

    /// The bytes answering a request with `method`.
    func bytes(for method: HTTPMethod) -> ByteBuffer {
        method == .HEAD ? self.headOnly : self.whole
    }
}
