import Foundation
import Messages

/// `X-Registry-Auth`: base64url-encoded JSON credentials (`e30=` is `{}`: none).
enum RegistryAuthHeader {
    static func decode(_ header: String?) throws(EngineErrorResponse) -> RegistryAuth? {
        guard let header, !header.isEmpty else { return nil }
        var base64 = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let auth = try? JSONDecoder().decode(RegistryAuth.self, from: data) else {
            throw EngineErrorResponse(status: .badRequest, message: "invalid X-Registry-Auth header")
        }
        return auth.isEmpty ? nil : auth
    }
}
