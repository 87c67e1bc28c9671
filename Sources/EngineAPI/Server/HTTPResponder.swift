/// Answers decoded HTTP requests: the routing layer of the API front implements it.
///
/// ``HTTPServer`` calls `respond(to:)` on the task of the connection the request arrived on, one request
/// at a time per connection, and many connections at once. The call is not cancelled when the client goes
/// away (its result is then dropped); it is cancelled only when a shutdown's drain timeout expires.
/// A streamed body's producer or a hijack's closure, by contrast, is cancelled as soon as the client
/// disconnects or the server starts shutting down.
public protocol HTTPResponder: Sendable {
    /// Returns the response to `request`. Errors must already be mapped to a status and a body.
    func respond(to request: HTTPRequest) async -> HTTPResponse

    /// Returns the response to `request` at once, or nil to have it go the way of every request, through
    /// `respond(to:)`: the fast path of requests answered from the responder's own values, usually bytes
    /// encoded in advance (``ImmediateResponseHandler``). It is called on the connection's event loop, so
    /// it must not block.
    ///
    /// Only bodiless `GET` and `HEAD` requests are offered, without their headers (`request.headers` is
    /// empty). The default answers none.
    func immediateResponse(to request: HTTPRequest) -> EncodedResponse?
}

extension HTTPResponder {
    public func immediateResponse(to request: HTTPRequest) -> EncodedResponse? {
        nil
    }
}
