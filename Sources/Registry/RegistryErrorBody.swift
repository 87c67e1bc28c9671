/// The error body registries send with 4xx answers: `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}`.
struct RegistryErrorBody: Decodable {
    struct Entry: Decodable {
        var code: String?
        var message: String?
    }

    var errors: [Entry]

    /// The first error's code, e.g. `NAME_UNKNOWN`.
    var firstCode: String? { errors.first?.code }

    /// The first error's message, e.g. `manifest unknown` (docker shows this for "not found").
    var firstMessage: String? {
        errors.first.flatMap { $0.message ?? $0.code.map(Self.words) }
    }

    /// The first error as `code: message`, e.g. `unauthorized: authentication required` (docker's wording
    /// for other errors).
    var summary: String? {
        guard let entry = errors.first else { return nil }
        switch (entry.code, entry.message) {
        case (let code?, let message?): return Self.words(code) + ": " + message
        case (let code?, nil): return Self.words(code)
        case (nil, let message?): return message
        case (nil, nil): return nil
        }
    }

    /// `NAME_UNKNOWN` → `name unknown`.
    static func words(_ code: String) -> String {
        code.lowercased().split(separator: "_").joined(separator: " ")
    }
}
