/// What a client authenticates to a registry with: a user name and password, or an identity token
/// (an OAuth2 refresh token a registry handed out at an earlier login).
///
/// The credentials are sent as HTTP basic auth to registries that ask for it, and to the token server
/// of registries that ask for a bearer token. An identity token, when present, is exchanged for an
/// access token with the OAuth2 `refresh_token` grant instead.
public struct RegistryCredentials: Sendable, Hashable {
    public var username: String
    public var password: String
    /// An OAuth2 refresh token; when set, the token server is asked with it rather than with the password.
    public var identityToken: String?

    public init(username: String, password: String, identityToken: String? = nil) {
        self.username = username
        self.password = password
        self.identityToken = identityToken
    }
}
