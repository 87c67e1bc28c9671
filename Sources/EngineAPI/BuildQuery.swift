import Foundation
import Messages

/// The query of `POST /build`, read as dockerd reads it.
enum BuildQuery {
    static func decode(_ request: HTTPRequest) throws -> BuildRequest {
        var build = BuildRequest()
        if let dockerfile = request.query("dockerfile"), !dockerfile.isEmpty { build.dockerfile = dockerfile }
        build.tags = (request.query["t"] ?? []).filter { !$0.isEmpty }
        build.quiet = request.flag("q")
        build.noCache = request.flag("nocache")
        build.pull = request.flag("pull")
        build.remove = request.query("rm").map { _ in request.flag("rm") } ?? true
        build.forceRemove = request.flag("forcerm")
        build.buildArgs = try json(request, "buildargs", as: [String: String?].self) ?? [:]
        build.labels = try json(request, "labels", as: [String: String].self) ?? [:]
        build.target = request.query("target") ?? ""
        build.cacheFrom = try json(request, "cachefrom", as: [String].self) ?? []
        build.platform = request.query("platform") ?? ""
        build.buildID = request.query("buildid").flatMap { $0.isEmpty ? nil : $0 }
        build.remote = request.query("remote").flatMap { $0.isEmpty ? nil : $0 }
        if let header = request.headers.first(name: "X-Registry-Config"), !header.isEmpty {
            guard let data = Data(base64Encoded: padded(header)), let auths = try? JSONDecoder().decode([String: RegistryAuth].self, from: data) else {
                throw EngineErrorResponse(status: .badRequest, message: "invalid X-Registry-Config header")
            }
            build.registryAuths = auths
        }
        var host = HostConfig()
        if let mode = request.query("networkmode"), !mode.isEmpty { host.NetworkMode = mode == "default" ? nil : mode }
        let extraHosts: [String] = (request.query["extrahosts"] ?? []).flatMap { $0.split(separator: ",").map(String.init) }
        if !extraHosts.isEmpty { host.ExtraHosts = extraHosts }
        host.ShmSize = try number(request, "shmsize")
        host.Memory = try number(request, "memory")
        host.MemorySwap = try number(request, "memswap", allowingMinusOne: true)
        host.CpuShares = try number(request, "cpushares")
        host.CpuPeriod = try number(request, "cpuperiod")
        host.CpuQuota = try number(request, "cpuquota")
        if let cpus = request.query("cpusetcpus"), !cpus.isEmpty { host.CpusetCpus = cpus }
        if let ulimits = try json(request, "ulimits", as: [Ulimit].self), !ulimits.isEmpty { host.Ulimits = ulimits }
        build.hostConfig = host
        return build
    }

    private static func json<T: Decodable>(_ request: HTTPRequest, _ name: String, as type: T.Type) throws -> T? {
        guard let text = request.query(name), !text.isEmpty else { return nil }
        do {
            return try HTTPRequest.decodeJSON(type, from: Data(text.utf8))
        } catch {
            throw EngineErrorResponse(status: .badRequest, message: "invalid \(name) parameter: \(text)")
        }
    }

    private static func number(_ request: HTTPRequest, _ name: String, allowingMinusOne: Bool = false) throws -> Int64? {
        guard let text = request.query(name), !text.isEmpty else { return nil }
        guard let value = Int64(text), value >= 0 || (allowingMinusOne && value == -1) else {
            throw EngineErrorResponse(status: .badRequest, message: "invalid \(name) parameter: \(text)")
        }
        return value == 0 ? nil : value
    }

    private static func padded(_ base64: String) -> String {
        let standard = base64.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        return standard + String(repeating: "=", count: (4 - standard.count % 4) % 4)
    }
}
