@testable import Containers
@testable import EngineAPI
import Messages
import NIOCore

/// The host the spec checks run against, probed once. (A static, not a global: libFuzzer's `main` never
/// runs this file's top-level code, which initializes globals.)
enum Host {
    static let spec = SpecHost.detect()
}

/// The input as the body of `POST /containers/create`: decoded as the route decodes it, then checked
/// as the containers child checks it before it creates anything (`ContainerSetup.validate`, the
/// runtime spec's checks).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzContainerCreate(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let request = HTTPRequest(
        method: .POST, uri: "/containers/create", body: ByteBuffer(bytes: UnsafeRawBufferPointer(start: start, count: count)))
    guard let config = try? request.decodeBody(ContainerConfig.self),
        let body = try? request.decodeBody(ContainerRoutes.CreateBody.self)
    else { return 0 }
    let hostConfig = body.HostConfig ?? HostConfig()
    guard (try? ContainerSetup.validate(hostConfig)) != nil else { return 0 }
    _ = try? ContainerSetup.command(config)
    _ = try? RuntimeSpecBuilder(host: Host.spec).validate(config: config, hostConfig: hostConfig)
    return 0
}
