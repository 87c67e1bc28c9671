import Messages
import Supervision

/// The text of `GET /metrics`: dockerd's `engine_daemon_*` families where berthd has them, the state of
/// every child, then the registry's counters and histograms.
enum MetricsDocument {
    static func make(facts: DaemonFacts, tree: TreeSnapshot, containers: ContainerCounts?, driver: String, events: Int, subscribers: Int, registry: String) -> String {
        var text = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: [(String, String)], value: String)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples {
                let labels = sample.labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
                text += labels.isEmpty ? "\(name) \(sample.value)\n" : "\(name){\(labels)} \(sample.value)\n"
            }
        }
        family("engine_daemon_engine_info", "gauge", "The information related to the engine and the OS it is running on", [([
            ("architecture", facts.architecture), ("commit", facts.gitCommit), ("daemon_id", facts.id), ("graphdriver", driver),
            ("kernel", facts.kernelVersion), ("os", facts.operatingSystem), ("os_type", "linux"), ("version", facts.version),
        ], "1")])
        family("engine_daemon_engine_cpus_cpus", "gauge", "The number of cpus that the host system of the engine has", [([], "\(facts.cpus)")])
        family("engine_daemon_engine_memory_bytes", "gauge", "The number of bytes of memory that the host system of the engine has", [([], "\(facts.memoryBytes)")])
        if let containers {
            family("engine_daemon_container_states_containers", "gauge", "The count of containers in various states", [
                ([("state", "running")], "\(containers.running)"), ([("state", "paused")], "\(containers.paused)"),
                ([("state", "stopped")], "\(containers.stopped)"),
            ])
        }
        family("engine_daemon_events_total", "counter", "The number of events logged", [([], "\(events)")])
        family("engine_daemon_events_subscribers_total", "gauge", "The number of current subscribers to events", [([], "\(subscribers)")])
        family("berth_child_state", "gauge", "1 for the state each child of the supervision tree is in", tree.children.map {
            ([("child", $0.name), ("state", $0.state.rawValue)], "1")
        })
        family("berth_child_restarts_total", "counter", "Restarts of each child since berthd started", tree.children.map {
            ([("child", $0.name)], "\($0.restarts)")
        })
        family("berth_child_incarnation", "gauge", "The incarnation number of each child", tree.children.map {
            ([("child", $0.name)], "\($0.incarnation)")
        })
        return text + registry
    }

    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
