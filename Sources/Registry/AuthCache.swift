/// What a `RegistryClient` remembers about authentication between requests: the last challenge each
/// registry sent (so later requests can authenticate up front instead of collecting a 401 first), and
/// bearer tokens until they expire.
///
/// Tokens are keyed by registry, scopes *and credentials*: a token obtained with one user's credentials
/// (or anonymously) is never handed to a request made with other credentials. Not thread-safe by itself;
/// `RegistryClient` keeps it in a `Mutex`.
struct AuthCache {
    struct TokenKey: Hashable {
        var host: String
        var scopes: [String]
        var credentials: RegistryCredentials?
    }

    struct Token {
        var value: String
        var expires: ContinuousClock.Instant
    }

    private var challenges: [String: AuthChallenge] = [:]
    private var tokens: [TokenKey: Token] = [:]

    func challenge(for host: String) -> AuthChallenge? { challenges[host] }

    mutating func setChallenge(_ challenge: AuthChallenge, for host: String) { challenges[host] = challenge }

    /// A token that is still valid at `now`.
    func token(for key: TokenKey, now: ContinuousClock.Instant) -> String? {
        guard let token = tokens[key], token.expires > now else { return nil }
        return token.value
    }

    mutating func setToken(_ token: Token, for key: TokenKey, now: ContinuousClock.Instant) {
        tokens = tokens.filter { $0.value.expires > now }
        tokens[key] = token
    }

    mutating func removeToken(for key: TokenKey) { tokens[key] = nil }
}
