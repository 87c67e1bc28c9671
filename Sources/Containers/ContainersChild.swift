import Foundation
import Logging
import Messages
import Supervision

/// The `containers` child: the container life cycle on containerd tasks. Records live in
/// `containers.db` and in memory; what runs lives in containerd (a task per running container, its shim
/// outliving berthd), so a new incarnation of this child — or of berthd — finds its containers again
/// (`reconcile`) instead of losing them.
///
/// Work on one container is serialized (`ContainerLocks`); work on different containers interleaves.
/// The pieces: `+Create`, `+Start`, `+Exit`, `+Stop`, `+Remove`, `+Streams`, `+Exec`, `+Query`.
public actor ContainersChild: SupervisedChild, ContainersService {
    let store: ContainerStore
    let subsystems: ContainersSiblings
    let events: any EventBus
    let config: DaemonConfig
    /// `<data-root>/containers`: one directory per container (logs, hostname, hosts, resolv.conf).
    let stateRoot: String
    /// `<exec-root>/containers`: one directory per container (rootfs mount point, FIFOs).
    let runRoot: String

    var records: [String: ContainerRecord] = [:]
    var idsByName: [String: String] = [:]
    /// What this incarnation holds for each container beyond its record (its run, streams, waits,
    /// restart timer), by container ID; see `ContainerEntry`.
    var entries: [String: ContainerEntry] = [:]
    /// Held across a container's whole removal, so kept apart from its entry, which the removal ends.
    var locks = ContainerLocks()
    /// Set once this incarnation has let go of its containers: a request still in flight here then
    /// changes no record, so nothing it does lands after the next incarnation has read them.
    var letGo = false
    let specBuilder = RuntimeSpecBuilder()
    var logger: Logger?

    public init(config: DaemonConfig, subsystems: ContainersSiblings, events: any EventBus) throws {
        store = try ContainerStore(dataRoot: config.dataRoot)
        self.subsystems = subsystems
        self.events = events
        self.config = config
        stateRoot = config.dataRoot + "/containers"
        runRoot = config.execRoot + "/containers"
        for record in try store.all() {
            records[record.id] = record
            idsByName[record.name] = record.id
        }
    }

    public func run(_ context: ChildContext) async throws {
        logger = context.logger
        do {
            try await reconcile(atBoot: context.incarnation == 1)
        } catch {
            await detachAll()
            throw error
        }
        context.report(["containers": "\(records.count)", "running": "\(entries.values.filter { $0.run != nil }.count)"])
        context.ready()
        let outOfMemory = watchOutOfMemory()
        await context.untilStopped()
        outOfMemory.cancel()
        await detachAll()
    }

    public func counts() async throws -> ContainerCounts {
        var counts = ContainerCounts(running: 0, paused: 0, stopped: 0)
        for record in records.values {
            switch record.state.status {
            case .running, .restarting: counts.running += 1
            case .paused: counts.paused += 1
            default: counts.stopped += 1
            }
        }
        return counts
    }

    public func diskUsage() async throws -> [ContainerUsage] {
        var usage: [ContainerUsage] = []
        for record in records.values.sorted(by: { $0.createdNano > $1.createdNano }) {
            let size = (try? await subsystems.graphdriver.ask { try await $0.containerLayerSize(record.id) }) ?? 0
            usage.append(ContainerUsage(
                id: record.id, names: ["/" + record.name], image: record.config.Image ?? "", imageID: record.imageID,
                command: ([record.path] + record.args).joined(separator: " "), created: record.createdNano / 1_000_000_000,
                state: record.state.status.rawValue, status: record.state.status.rawValue, sizeRw: size, sizeRootFs: 0,
                labels: record.config.Labels ?? [:]))
        }
        return usage
    }

    public func layerSize(_ ref: String) async throws -> Int64 {
        let id = try resolve(ref).id
        return try await subsystems.graphdriver.ask { try await $0.containerLayerSize(id) }
    }

    // MARK: Records

    /// Finds a container by full ID, name (with or without `/`), or unique ID prefix.
    func resolve(_ ref: String) throws -> ContainerRecord {
        if let record = records[ref] { return record }
        let name = ref.hasPrefix("/") ? String(ref.dropFirst()) : ref
        if let id = idsByName[name], let record = records[id] { return record }
        let matches = ref.isEmpty ? [] : records.keys.filter { $0.hasPrefix(ref) }
        guard matches.count <= 1 else { throw EngineError.invalidArgument("multiple IDs found with provided prefix: \(ref)") }
        guard let id = matches.first, let record = records[id] else { throw EngineError.notFound("No such container: \(ref)") }
        return record
    }

    /// Writes a record through to the store, then to memory.
    func save(_ record: ContainerRecord) throws {
        try requireHolding()
        try store.save(record)
        if let previous = records[record.id], previous.name != record.name { idsByName[previous.name] = nil }
        records[record.id] = record
        idsByName[record.name] = record.id
    }

    /// Refuses a change once this incarnation has let go (see `letGo`).
    func requireHolding() throws {
        if letGo { throw EngineError.unavailable("containers is restarting: try again") }
    }

    func update(_ id: String, _ change: (inout ContainerRecord) -> Void) throws {
        guard var record = records[id] else { return }
        change(&record)
        try save(record)
    }

    func publish(_ action: String, _ record: ContainerRecord, _ extra: [String: String] = [:]) async {
        var attributes = record.config.Labels ?? [:]
        attributes["name"] = record.name
        attributes["image"] = record.config.Image ?? record.imageID
        attributes.merge(extra) { _, new in new }
        await events.publish(EngineEvent(type: "container", action: action, actor: .init(id: record.id, attributes: attributes), timeNano: UnixTime.nowNano))
    }

    func containerDirectory(_ id: String) -> String { stateRoot + "/" + id }
    func runDirectory(_ id: String) -> String { runRoot + "/" + id }
    func rootfsPath(_ id: String) -> String { runDirectory(id) + "/rootfs" }
}
