/// The portable part of a container's configuration: Docker's `Config` object, as `POST /containers/create`
/// receives it and `GET /containers/{id}/json` returns it.
///
/// A wire mirror: properties carry the Engine API's own key names, so this reads against Docker's API
/// reference and round-trips without a key map. Absent members stay `nil` and are not written back.
public struct ContainerConfig: Sendable, Codable, Equatable {
    public var Hostname: String?
    public var Domainname: String?
    public var User: String?
    public var AttachStdin: Bool?
    public var AttachStdout: Bool?
    public var AttachStderr: Bool?
    /// Keys like `80/tcp`; values are empty objects.
    public var ExposedPorts: [String: JSONValue]?
    public var Tty: Bool?
    public var OpenStdin: Bool?
    public var StdinOnce: Bool?
    public var Env: [String]?
    public var Cmd: StringList?
    public var Healthcheck: HealthConfig?
    public var ArgsEscaped: Bool?
    public var Image: String?
    public var Volumes: [String: JSONValue]?
    public var WorkingDir: String?
    public var Entrypoint: StringList?
    public var NetworkDisabled: Bool?
    public var MacAddress: String?
    public var OnBuild: [String]?
    public var Labels: [String: String]?
    public var StopSignal: String?
    public var StopTimeout: Int?
    public var Shell: [String]?

    public init() {}
}

/// A command or list that Docker accepts either as a JSON array or as one string (`"Cmd": "ls -l"`, split
/// by a shell on use), and that `null` leaves unset.
public struct StringList: Sendable, Codable, Equatable, ExpressibleByArrayLiteral {
    public var values: [String]

    public init(_ values: [String]) { self.values = values }
    public init(arrayLiteral elements: String...) { values = elements }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let single = try? container.decode(String.self) {
            values = [single]
        } else {
            values = try container.decode([String].self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }
}

/// A container's healthcheck (`Config.Healthcheck`, or the image's `HEALTHCHECK`). Durations are in
/// nanoseconds; zero means "inherit" (from the image, else Docker's defaults).
public struct HealthConfig: Sendable, Codable, Equatable {
    /// `[]` inherit, `["NONE"]` disabled, `["CMD", args…]` exec, `["CMD-SHELL", command]` through `/bin/sh -c`.
    public var Test: [String]?
    public var Interval: Int64?
    public var Timeout: Int64?
    public var StartPeriod: Int64?
    public var StartInterval: Int64?
    public var Retries: Int?

    public init() {}
}
