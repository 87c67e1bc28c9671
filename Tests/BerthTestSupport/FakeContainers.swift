import Foundation
import Messages
import Supervision

/// A stand-in for the `containers` child, answering as its `FakeScript` says.
public final class FakeContainers: FakeChild, ContainersService {
    public let script: FakeScript

    public init(script: FakeScript) {
        self.script = script
    }

    public func counts() async throws -> ContainerCounts {
        try await script.reply()
    }

    public func diskUsage() async throws -> [ContainerUsage] {
        try await script.reply(otherwise: [])
    }

    public func layerSize(_ ref: String) async throws -> Int64 {
        try await script.reply(ref, otherwise: 0)
    }

    public func create(_ request: ContainerCreateRequest) async throws -> ContainerCreated {
        try await script.reply(request)
    }

    public func start(_ ref: String, detachKeys: String?) async throws {
        try await script.reply(ref, detachKeys, otherwise: ())
    }

    public func stop(_ ref: String, signal: String?, timeout: Int?) async throws {
        try await script.reply(ref, signal, timeout, otherwise: ())
    }

    public func kill(_ ref: String, signal: String?) async throws {
        try await script.reply(ref, signal, otherwise: ())
    }

    public func restart(_ ref: String, signal: String?, timeout: Int?) async throws {
        try await script.reply(ref, signal, timeout, otherwise: ())
    }

    public func pause(_ ref: String) async throws {
        try await script.reply(ref, otherwise: ())
    }

    public func unpause(_ ref: String) async throws {
        try await script.reply(ref, otherwise: ())
    }

    public func wait(_ ref: String, condition: WaitCondition) async throws -> PendingWait {
        try await script.reply(ref, condition)
    }

    public func remove(_ ref: String, force: Bool, volumes: Bool) async throws {
        try await script.reply(ref, force, volumes, otherwise: ())
    }

    public func rename(_ ref: String, to name: String) async throws {
        try await script.reply(ref, name, otherwise: ())
    }

    public func inspect(_ ref: String) async throws -> ContainerRecord {
        try await script.reply(ref)
    }

    public func list(all: Bool, filters: [String: [String]]) async throws -> [ContainerRecord] {
        try await script.reply(all, filters, otherwise: [])
    }

    public func attach(_ ref: String, _ request: AttachRequest) async throws -> StreamSession {
        try await script.reply(ref, request)
    }

    public func logs(_ ref: String, _ request: LogsRequest) async throws -> StreamSession {
        try await script.reply(ref, request)
    }

    public func resize(_ ref: String, width: Int, height: Int) async throws {
        try await script.reply(ref, width, height, otherwise: ())
    }

    public func update(_ ref: String, resources: Resources, restartPolicy: RestartPolicy?) async throws -> [String] {
        try await script.reply(ref, resources, restartPolicy, otherwise: [])
    }

    public func top(_ ref: String, psArguments: String?) async throws -> ProcessTable {
        try await script.reply(ref, psArguments)
    }

    public func stats(_ ref: String) async throws -> StatsSample? {
        try await script.reply(ref, otherwise: nil)
    }

    public func commit(_ ref: String, options: CommitOptions) async throws -> String {
        try await script.reply(ref, options)
    }

    public func writeLayer(_ ref: String, toFile path: String) async throws {
        try await script.reply(ref, path, otherwise: ())
    }

    public func copyIn(_ ref: String, fromFile archive: String, destination: String, chown: String?) async throws {
        try await script.reply(ref, archive, destination, chown, otherwise: ())
    }

    public func prune(_ filters: [String: [String]]) async throws -> [String] {
        try await script.reply(filters, otherwise: [])
    }

    public func connect(_ ref: String, network: String, settings: EndpointSettings) async throws {
        try await script.reply(ref, network, settings, otherwise: ())
    }

    public func disconnect(_ ref: String, network: String, force: Bool) async throws {
        try await script.reply(ref, network, force, otherwise: ())
    }

    public func runningIDs() async throws -> Set<String> {
        try await script.reply(otherwise: [])
    }

    public func restoreAtBoot() async throws -> Int {
        try await script.reply(otherwise: 0)
    }

    public func stopAllForShutdown() async {
        _ = try? await script.reply(otherwise: ()) as Void?
    }

    public func statPath(_ ref: String, path: String) async throws -> String {
        try await script.reply(ref, path)
    }

    public func archivePath(_ ref: String, path: String, toFile archive: String) async throws -> String {
        try await script.reply(ref, path, archive)
    }

    public func extractArchive(_ ref: String, path: String, fromFile archive: String, noOverwriteDirNonDir: Bool) async throws {
        try await script.reply(ref, path, archive, noOverwriteDirNonDir, otherwise: ())
    }

    public func changes(_ ref: String) async throws -> [FilesystemChange] {
        try await script.reply(ref, otherwise: [])
    }

    public func export(_ ref: String, toFile archive: String) async throws {
        try await script.reply(ref, archive, otherwise: ())
    }

    public func createExec(_ ref: String, _ config: ExecConfig) async throws -> String {
        try await script.reply(ref, config)
    }

    public func startExec(_ id: String, detach: Bool, tty: Bool?) async throws -> StreamSession {
        try await script.reply(id, detach, tty)
    }

    public func launchExec(_ id: String) async throws {
        try await script.reply(id, otherwise: ())
    }

    public func inspectExec(_ id: String) async throws -> ExecRecord {
        try await script.reply(id)
    }

    public func resizeExec(_ id: String, width: Int, height: Int) async throws {
        try await script.reply(id, width, height, otherwise: ())
    }
}
