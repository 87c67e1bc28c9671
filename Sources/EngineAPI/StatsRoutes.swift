import Foundation
import Messages
import NIOCore
import NIOHTTP1
import Supervision

/// `GET /containers/{id}/stats`: one JSON object per second (`stream=1`, the default) or one answer
/// (`stream=0`, which reads twice a second apart so `precpu_stats` is filled, unless `one-shot=1`).
enum StatsRoutes {
    static let all: [Route] = [Route(.GET, path: "/containers/{id}/stats", handler: stats)]

    static func stats(_ context: RequestContext) async throws -> HTTPResponse {
        let id = context.parameters["id"] ?? ""
        let stream = context.request.query("stream").map { context.request.flag("stream") || $0.isEmpty } ?? true
        let oneShot = context.request.flag("one-shot")
        let containers = ContainerRoutes.containers(context)
        let record = try await containers.ask { try await $0.inspect(id) }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: .ok, headers: headers, body: .stream { writer in
            var previous: StatsSample?
            // A sample asked while `containers` restarts waits for it; one it does not come back for ends
            // the stream cleanly, as a restart of dockerd does.
            do {
                if !stream && !oneShot {
                    previous = try await containers.ask { try await $0.stats(record.id) }
                    try await Task.sleep(for: .seconds(1))
                }
                repeat {
                    let sample = try await containers.ask { try await $0.stats(record.id) }
                    var line = document(sample, previous: previous, record: record).encoded()
                    line.append(0x0a)
                    try await writer.write(ByteBuffer(bytes: line))
                    guard stream, sample != nil else { return }
                    previous = sample
                    try await Task.sleep(for: .seconds(1))
                } while true
            } catch is SupervisionError {}
        })
    }

    /// Docker's stats object; all zero for a container that is not running.
    static func document(_ sample: StatsSample?, previous: StatsSample?, record: ContainerRecord) -> JSONValue {
        [
            "read": .string(sample.map { UnixTime.rfc3339(nano: $0.readNano) } ?? "0001-01-01T00:00:00Z"),
            "preread": .string(previous.map { UnixTime.rfc3339(nano: $0.readNano) } ?? "0001-01-01T00:00:00Z"),
            "pids_stats": sample.map { ["current": .from($0.pids), "limit": $0.pidsLimit.map { .from($0) } ?? nil] } ?? [:],
            "blkio_stats": ["io_service_bytes_recursive": sample.map { blockIO($0.ioServiceBytes) } ?? nil],
            "num_procs": 0, "storage_stats": [:], "cpu_stats": cpu(sample), "precpu_stats": cpu(previous),
            "memory_stats": sample.map { sample in
                [
                    "usage": .from(sample.memoryUsage), "max_usage": .from(sample.memoryMaxUsage),
                    "limit": .from(sample.memoryLimit),
                    "stats": .object(sample.memoryStats.sorted { $0.key < $1.key }.map { ($0.key, .from($0.value)) }),
                ]
            } ?? [:],
            "name": .string("/" + record.name), "id": .string(record.id),
        ]
    }

    private static func cpu(_ sample: StatsSample?) -> JSONValue {
        guard let sample else { return ["cpu_usage": ["total_usage": 0, "usage_in_kernelmode": 0, "usage_in_usermode": 0], "throttling_data": [:]] }
        return [
            "cpu_usage": [
                "total_usage": .from(sample.cpuTotal), "percpu_usage": .array(sample.cpuPerCPU.map { .from($0) }),
                "usage_in_kernelmode": .from(sample.cpuKernel), "usage_in_usermode": .from(sample.cpuUser),
            ],
            "system_cpu_usage": .from(sample.systemCPU), "online_cpus": .from(sample.onlineCPUs),
            "throttling_data": ["periods": 0, "throttled_periods": 0, "throttled_time": 0],
        ]
    }

    private static func blockIO(_ entries: [BlockIOEntry]) -> JSONValue {
        .array(entries.map { ["major": .from($0.major), "minor": .from($0.minor), "op": .string($0.op), "value": .from($0.value)] })
    }
}
