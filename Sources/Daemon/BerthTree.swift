import Containerd
import Containers
import EngineAPI
import Events
import GraphDriver
import Images
import Logging
import Messages
import Networks
import Plugins
import Registry
import Restore
import Supervision
import Volumes

/// berthd's supervision tree: one spec per child, in the order of `ChildName.allCases`.
/// supervision.md documents these values; a test checks that both agree.
struct BerthTree: Sendable {
    let config: DaemonConfig
    let listen: [ListenAddress]
    let listenerSetup: ListenerSetup
    let events: EventLog
    let configStore: ConfigStore
    let facts: DaemonFacts
    let metrics: APIMetrics
    let logger: Logger

    var specs: [ChildSpec] { ChildName.allCases.map(spec) }

    func spec(for name: ChildName) -> ChildSpec {
        let config = self.config
        switch name {
        case .containerd:
            let configStore = self.configStore
            return ChildSpec(name: name.rawValue, restart: .permanent, shutdownBudget: .seconds(10), startTimeout: .seconds(20)) { _ in
                ContainerdChild(
                    dataRoot: config.dataRoot, execRoot: config.execRoot, address: config.containerd, liveRestore: { configStore.current.liveRestore })
            }
        case .plugins:
            let configStore = self.configStore
            return ChildSpec(name: name.rawValue) { _ in try PluginsChild(config: config, configStore: configStore) }
        case .volumes:
            let events = self.events
            return ChildSpec(name: name.rawValue) { context in try VolumesChild(config: config, subsystems: Subsystems(context), events: events) }
        case .containers:
            let events = self.events
            return ChildSpec(name: name.rawValue, shutdownBudget: .seconds(30)) { context in
                try ContainersChild(config: config, subsystems: Subsystems(context), events: events)
            }
        case .graphdriver:
            return ChildSpec(name: name.rawValue) { context in
                try GraphDriverChild(dataRoot: config.dataRoot, requested: config.storageDriver, containerd: Subsystems(context).containerd)
            }
        case .images:
            let events = self.events
            return ChildSpec(name: name.rawValue) { context in
                try ImagesChild(
                    dataRoot: config.dataRoot, subsystems: Subsystems(context), events: events,
                    registry: RegistryClient(insecureRegistries: config.insecureRegistries, logger: context.logger),
                    maxConcurrentDownloads: config.maxConcurrentDownloads, maxConcurrentUploads: config.maxConcurrentUploads)
            }
        case .network:
            let events = self.events
            return ChildSpec(name: name.rawValue, shutdownBudget: .seconds(15)) { _ in
                try NetworkChild(config: config, events: events)
            }
        case .restore:
            return ChildSpec(name: name.rawValue, restart: .transient, startTimeout: .seconds(120)) { context in
                RestoreChild(subsystems: Subsystems(context))
            }
        case .api:
            let (events, configStore, facts, metrics, logger) = (self.events, self.configStore, self.facts, self.metrics, self.logger)
            let setup = self.listenerSetup
            return ChildSpec(name: name.rawValue, shutdownBudget: .seconds(10)) { [listen] _ in
                APIChild(
                    addresses: listen, drainTimeout: .seconds(5), limits: setup.limits, tls: setup.tls, socketGroup: setup.socketGroup
                ) { context, supervisor in
                    APIEnvironment(
                        subsystems: Subsystems(supervisor), events: events, config: configStore, facts: facts,
                        supervisor: supervisor, metrics: metrics, logger: logger)
                }
            }
        }
    }
}
