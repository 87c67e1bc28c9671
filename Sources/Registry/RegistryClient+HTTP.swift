import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension RegistryClient {
    /// Sends `request` for `operation` (authenticating as the registry asks) and returns the response if
    /// its status is one of `expecting`; otherwise reads the registry's error body and throws the
    /// `RegistryError` the operation words for it.
    func perform(
        _ request: HTTPClientRequest, _ operation: RegistryOperation, expecting: Set<UInt>,
        deadline: NIODeadline = .now() + RegistryClient.requestTimeout
    ) async throws -> HTTPClientResponse {
        let response = try await send(request, operation, deadline: deadline)
        if expecting.contains(response.status.code) { return response }
        let body = try? await response.body.collect(upTo: 64 << 10)
        let errors = body.flatMap { try? JSONDecoder().decode(RegistryErrorBody.self, from: Data($0.readableBytesView)) }
        throw operation.failure(status: response.status, body: errors, method: request.method, url: request.url)
    }

    /// Executes one request, following redirects the `HTTPClient` left alone, and turns transport
    /// failures into `.unavailable`. `Authorization` is dropped when a redirect leaves the origin.
    func execute(_ request: HTTPClientRequest, endpoint: RegistryEndpoint, deadline: NIODeadline) async throws -> HTTPClientResponse {
        var request = request
        for _ in 0...Self.maxRedirects {
            logger.debug("send registry request", metadata: ["method": "\(request.method)", "url": "\(request.url)"])
            let response: HTTPClientResponse
            do {
                response = try await httpClient.execute(request, deadline: deadline, logger: logger)
            } catch {
                try Task.checkCancellation()
                throw RegistryError(
                    .unavailable, "cannot reach registry \(endpoint.host): \(request.method) \(request.url): \(Self.describe(error))", cause: error)
            }
            guard [301, 302, 303, 307, 308].contains(response.status.code),
                  let location = response.headers.first(name: "Location"),
                  let target = Self.resolve(location, against: request.url)
            else { return response }
            await discard(response)
            if Self.origin(of: target) != Self.origin(of: request.url) { request.headers.remove(name: "Authorization") }
            if response.status == .seeOther, request.method != .HEAD {
                request.method = .GET
                request.body = nil
                request.headers.remove(name: "Content-Length")
                request.headers.remove(name: "Content-Type")
            }
            request.url = target
        }
        throw RegistryError(.protocolError, "too many redirects from registry \(endpoint.host) for \(request.url)")
    }

    /// Reads a whole (small) body; more than `limit` bytes is `.tooLarge`, a broken connection `.unavailable`.
    func collect(_ response: HTTPClientResponse, limit: Int, what: String) async throws -> [UInt8] {
        do {
            return Array(try await response.body.collect(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw RegistryError(.tooLarge, "\(what) is larger than \(limit) bytes")
        } catch {
            try Task.checkCancellation()
            throw RegistryError(.unavailable, "reading \(what) failed: \(Self.describe(error))", cause: error)
        }
    }

    /// Reads and drops a body the caller has no use for, so the connection can be reused.
    func discard(_ response: HTTPClientResponse) async {
        do {
            for try await _ in response.body {}
        } catch {
            logger.debug("drop response body", metadata: ["error": "\(error)"])
        }
    }

    /// A transport failure in words: `connection refused`, `connect timed out`, ….
    static func describe(_ error: any Error) -> String {
        if let error = error as? IOError {
            return String(cString: strerror(error.errnoCode)).lowercased()
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connect timed out"
            case .readTimeout: return "read timed out"
            case .writeTimeout: return "write timed out"
            case .deadlineExceeded: return "request timed out"
            case .remoteConnectionClosed: return "connection closed by the server"
            default: return "\(error)"
            }
        }
        return "\(error)"
    }

    /// `scheme://host:port` of a URL, lower-cased, with the default port filled in; nil if it has none.
    static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), let host = components.host
        else { return nil }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(host.lowercased()):\(port)"
    }

    /// An absolute or relative `Location` resolved against the URL it came from.
    static func resolve(_ location: String, against base: String) -> String? {
        guard let baseURL = URL(string: base), let url = URL(string: location, relativeTo: baseURL) else { return nil }
        let absolute = url.absoluteString
        return absolute.hasPrefix("http://") || absolute.hasPrefix("https://") ? absolute : nil
    }

    /// `url` with `name=value` pairs added to its query.
    static func appendingQuery(_ url: String, _ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return url }
        let query = items.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
        let separator = url.contains("?") ? (url.hasSuffix("?") || url.hasSuffix("&") ? "" : "&") : "?"
        return url + separator + query
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    static func escape(_ value: String) -> String {
        var result = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".unicodeScalars)
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(digits[Int(byte >> 4)])
                result.unicodeScalars.append(digits[Int(byte & 0x0f)])
            }
        }
        return result
    }
}
