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
}
