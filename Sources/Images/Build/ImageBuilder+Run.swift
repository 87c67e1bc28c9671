import Dockerfile
import Foundation
import Messages

/// `RUN`: the command runs in a container of the stage's image (the containers child creates and
/// starts it, with the build's network mode, extra hosts and limits), its output goes to the client
/// as it comes, and the container's changes become the step's layer.
extension ImageBuilder {
    mutating func runStep(_ line: CommandForm, in state: inout StageState) async throws {
        let words = Self.shellWords(line, state.document)
        let declared = state.argPairs
        // The proxy variables a request gives reach the step without an ARG, but stay out of its
        // history (and so out of its cache key), as dockerd keeps them.
        let proxies: [(name: String, value: String)] = request.buildArgs.compactMap { key, value in
            guard Self.predefinedArgs.contains(key), !state.args.contains(where: { $0.name == key }), state.document.environment(key) == nil,
                  let value else { return nil }
            return (key, value)
        }.sorted { $0.name < $1.name }
        let args = declared + proxies
        let prefix = args.isEmpty ? "" : (["|\(declared.count)"] + declared.map { $0.name + "=" + $0.value }).joined(separator: " ") + " "
        let createdBy = prefix + words.joined(separator: " ")
        if try await reuse(createdBy: createdBy, document: state.document, in: &state) { return }
        guard let parent = state.image else {
            throw EngineError.invalidArgument("cannot RUN on an empty image (FROM scratch with nothing copied in): there is no shell to run")
        }
        var config = state.document.config
        config.Image = parent.id
        config.Cmd = StringList(words)
        config.Entrypoint = StringList([])
        config.Env = (config.Env ?? []) + args.map { $0.name + "=" + $0.value }
        config.AttachStdout = true
        config.AttachStderr = true
        config.Healthcheck = { var none = HealthConfig(); none.Test = ["NONE"]; return none }()
        let id = try await createContainer(config)
        output.print(" ---> Running in \(Self.short(id))\n")
        let layer = work + "/layer-\(step).tar"
        defer { try? FileManager.default.removeItem(atPath: layer) }
        do {
            let status = try await runToExit(id)
            guard status.statusCode == 0 else {
                let code = status.statusCode
                throw BuildStepFailure(message: "The command '\(words.joined(separator: " "))' returned a non-zero code: \(code)", exitCode: code)
            }
            try await subsystems.containers.ask(deadline: .buildStep) { try await $0.writeLayer(id, toFile: layer) }
            try await commit(state.document, createdBy: createdBy, layer: layer, container: id, in: &state)
        } catch {
            if request.forceRemove || Task.isCancelled || !(error is BuildStepFailure) {
                await removeContainer(id)
                if request.forceRemove { output.print("Removing intermediate container \(Self.short(id))\n") }
            }
            throw error
        }
        if request.remove || request.forceRemove {
            await removeContainer(id)
            output.print("Removing intermediate container \(Self.short(id))\n")
        }
        printResult(state)
    }

    /// Creates a build container on the stage's image, with the request's host settings.
    func createContainer(_ config: ContainerConfig) async throws -> String {
        let create = ContainerCreateRequest(name: nil, config: config, hostConfig: request.hostConfig, networkingConfig: nil)
        return try await subsystems.containers.ask { try await $0.create(create) }.id
    }

    /// Starts the container and relays its output until it exits; returns its exit status.
    func runToExit(_ id: String) async throws -> WaitResult {
        let containers = subsystems.containers
        let pending = try await containers.ask { try await $0.wait(id, condition: .nextExit) }
        let attach = AttachRequest(stdin: false, stdout: true, stderr: true, logs: false, stream: true, detachKeys: nil)
        let session = try await containers.ask { try await $0.attach(id, attach) }
        try await containers.ask { try await $0.start(id, detachKeys: nil) }
        for await chunk in session.output {
            try Task.checkCancellation()
            await output.processOutput(chunk)
        }
        try Task.checkCancellation()
        return await pending.result()
    }

    /// Removes a build container, even when the build was cancelled.
    func removeContainer(_ id: String) async {
        let containers = subsystems.containers
        // Unstructured on purpose: the cleanup must run to its end when the build's task is cancelled.
        await Task { _ = try? await containers.ask { try await $0.remove(id, force: true, volumes: true) } }.value
    }
}
