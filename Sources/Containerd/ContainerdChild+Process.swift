import Foundation
import Logging
import Supervision

extension ContainerdChild {
    /// How long a containerd of ours has to answer `Version` before it is replaced.
    static let adoptionTimeout = Duration.seconds(3)

    /// The containerd on our roots: the one an earlier berthd or incarnation left running, when it is ours
    /// and answers, or else a new one. A containerd of ours that does not answer is stopped first.
    func adoptOrStart(logger: Logger) async throws -> (process: ContainerdProcess, adopted: Bool) {
        let configChanged = try layout.prepare()
        let found = ContainerdAdoption.pid(inPidfile: try? String(contentsOfFile: layout.pidfile, encoding: .utf8)).flatMap(ContainerdProcess.find)
        let socket = layout.socket
        let decision = await ContainerdAdoption.decide(commandLine: found?.commandLine, configFile: layout.configFile, configChanged: configChanged) {
            await Self.answers(socket, within: Self.adoptionTimeout)
        }
        switch (decision, found?.process) {
        case (.adopt, let process?):
            logger.info("adopted the running containerd", metadata: ["pid": "\(process.pid)", "socket": "\(socket)"])
            return (process, true)
        case (.replace, let process?):
            logger.warning(
                "replacing a containerd of ours", metadata: ["pid": "\(process.pid)", "reason": "\(configChanged ? "its configuration changed" : "it does not answer")"])
            await process.stop(grace: .seconds(5))
        default:
            if let found { logger.info("the containerd pidfile names a process not ours: left alone", metadata: ["pid": "\(found.process.pid)"]) }
        }
        return (try ContainerdProcess.start(layout, binary: binary, logger: logger), false)
    }

    /// At the end of an incarnation, containerd keeps running unless berthd itself stops without
    /// live-restore: a crash or a failure of this child leaves it to the next incarnation, which adopts it
    /// (or replaces it if it does not answer).
    func release(_ process: ContainerdProcess, _ context: ChildContext) async {
        guard await context.supervisor?.treeState ?? .stopping == .stopping, !process.hasExited else { return }
        if liveRestore() {
            context.logger.info("leaving containerd running (live-restore)", metadata: ["pid": "\(process.pid)"])
        } else {
            await process.stop(grace: .seconds(5))
        }
    }

    /// Whether containerd accepts connections on `socket` and answers `Version`, within `limit`.
    private static func answers(_ socket: String, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !UnixSocketProbe.accepts(socket) {
            guard ContinuousClock.now < deadline, (try? await Task.sleep(for: .milliseconds(5))) != nil else { return false }
        }
        guard let connection = try? ContainerdConnection(socket: socket, namespace: namespace) else { return false }
        // Not awaited at the end: a connection to a process that does not answer may take long to close.
        let running = Task { try? await connection.client.runConnections() }
        defer { running.cancel() }
        return (try? await version(of: connection, timeout: max(deadline - ContinuousClock.now, .milliseconds(200)))) != nil
    }
}
