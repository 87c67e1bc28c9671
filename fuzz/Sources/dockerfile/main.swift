import Dockerfile

/// The input as a Dockerfile (parsed, every command expanded against an empty environment) and as a
/// `.dockerignore`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDockerfile(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    _ = try? IgnorePatterns(parsing: text)
    guard let dockerfile = try? Dockerfile.parse(text) else { return 0 }
    for stage in dockerfile.stages {
        for instruction in [stage.from] + stage.commands {
            _ = try? instruction.command.expanded(escapeToken: dockerfile.escapeToken) { _ in nil }
        }
    }
    return 0
}
