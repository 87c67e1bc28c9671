/// The credentials a client sends for a registry (`X-Registry-Auth`, `POST /auth`).
public struct RegistryAuth: Sendable, Codable, Hashable {
    public var username: String
    public var password: String
    public var serverAddress: String
    public var identityToken: String

    public init(username: String = "", password: String = "", serverAddress: String = "", identityToken: String = "") {
        self.username = username
        self.password = password
        self.serverAddress = serverAddress
        self.identityToken = identityToken
    }

    enum CodingKeys: String, CodingKey {
        case username, password
        case serverAddress = "serveraddress"
        case identityToken = "identitytoken"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        username = try container.decodeIfPresent(String.self, forKey: .username) ?? ""
        password = try container.decodeIfPresent(String.self, forKey: .password) ?? ""
        serverAddress = try container.decodeIfPresent(String.self, forKey: .serverAddress) ?? ""
        identityToken = try container.decodeIfPresent(String.self, forKey: .identityToken) ?? ""
    }

    /// Whether there is anything to authenticate with.
    public var isEmpty: Bool { username.isEmpty && password.isEmpty && identityToken.isEmpty }
}

/// One line of a pull or push progress stream, as the docker CLI renders them.
public struct ProgressLine: Sendable, Codable, Hashable {
    public var status: String
    public var id: String?
    /// Bytes done and expected, for progress bars.
    public var current: Int64?
    public var total: Int64?
    /// Extra data the client reads (`{"Tag","Digest","Size"}` after a push).
    public var aux: [String: String]?
    /// Text the client prints as it is (`Loaded image: busybox:latest` after a load); a line with it
    /// has no status.
    public var stream: String?

    public init(status: String, id: String? = nil, current: Int64? = nil, total: Int64? = nil, aux: [String: String]? = nil) {
        self.status = status
        self.id = id
        self.current = current
        self.total = total
        self.aux = aux
    }

    /// A line of text to print (`{"stream": …}`).
    public init(stream: String) {
        self.status = ""
        self.stream = stream
    }
}
