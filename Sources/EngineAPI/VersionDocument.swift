import Messages

/// The body of `GET /version`.
enum VersionDocument {
    /// Without `runtime` (containerd unreachable) the containerd and runc components are left out.
    static func make(facts: DaemonFacts, runtime: RuntimeVersions?) -> JSONValue {
        let arch = goArchitecture(facts.architecture)
        let buildTime = UnixTime.rfc3339(nano: facts.startedAtNano)
        var components: [JSONValue] = [
            [
                "Name": "Engine", "Version": .string(facts.version),
                "Details": [
                    "ApiVersion": .string(APIVersion.current.description), "Arch": .string(arch), "BuildTime": .string(buildTime),
                    "Experimental": "false", "GitCommit": .string(facts.gitCommit), "GoVersion": "swift6",
                    "KernelVersion": .string(facts.kernelVersion), "MinAPIVersion": .string(APIVersion.minimum.description), "Os": "linux",
                ],
            ],
        ]
        if let runtime {
            components.append(["Name": "containerd", "Version": .string(runtime.containerdVersion), "Details": ["GitCommit": .string(runtime.containerdRevision)]])
            components.append(["Name": "runc", "Version": .string(runtime.runcVersion), "Details": ["GitCommit": .string(runtime.runcCommit)]])
        }
        return [
            "Platform": ["Name": "Berth Engine"],
            "Components": .array(components),
            "Version": .string(facts.version),
            "ApiVersion": .string(APIVersion.current.description),
            "MinAPIVersion": .string(APIVersion.minimum.description),
            "GitCommit": .string(facts.gitCommit),
            "GoVersion": "swift6",
            "Os": "linux",
            "Arch": .string(arch),
            "KernelVersion": .string(facts.kernelVersion),
            "BuildTime": .string(buildTime),
        ]
    }

    /// Docker names architectures as Go does (`amd64`, `arm64`).
    static func goArchitecture(_ machine: String) -> String {
        switch machine {
        case "x86_64": "amd64"
        case "aarch64": "arm64"
        default: machine
        }
    }
}
