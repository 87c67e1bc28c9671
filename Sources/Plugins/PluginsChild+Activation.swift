import Foundation
import Messages

/// Why a plugin cannot be reached for now: waiting may cure it (the plugin is starting or restarting).
enum PluginAbsence: Error {
    /// No socket or spec file names it.
    case notLocated
    /// Connecting failed (refused, socket gone).
    case unreachable(String)
}

extension PluginsChild {
    /// Plugin `name`, activated now unless it is already, waiting up to `budget` for it to appear.
    func activatedPlugin(_ name: String, waitingUpTo budget: Duration) async throws -> ActivatedPlugin {
        try await retryingWhileAbsent(name, for: budget) { try await activate(name) }
    }

    /// Runs `attempt` again after the backoff's delays while it finds plugin `name` absent, as long as
    /// the next delay ends within `budget`; then the absence is `unavailable`. A plugin never seen
    /// whose socket or spec file does not exist is `notFound` at once (as with dockerd); one that
    /// exists but refuses connections is waited for (it is starting).
    func retryingWhileAbsent<Result>(_ name: String, for budget: Duration, _ attempt: () async throws -> Result) async throws -> Result {
        let clock = ContinuousClock()
        let deadline = clock.now + budget
        var failures = 0
        while true {
            do {
                return try await attempt()
            } catch let absence as PluginAbsence {
                if case .notLocated = absence, !seen.contains(name) {
                    throw EngineError.notFound("plugin \(name) not found")
                }
                failures += 1
                let delay = timeouts.backoff.delay(attempt: failures, random: .random(in: 0..<1))
                guard clock.now + delay <= deadline else {
                    switch absence {
                    case .notLocated: throw EngineError.unavailable("plugin \(name) is not available: its socket or spec file is gone")
                    case .unreachable(let reason): throw EngineError.unavailable("plugin \(name) is not available: \(reason)")
                    }
                }
                logger.debug("waiting for plugin", metadata: ["plugin": "\(name)", "try": "\(failures)", "delay": "\(delay)"])
                try await clock.sleep(for: delay)
            }
        }
    }

    /// The plugin's cached activation, or one try at activating it.
    func activate(_ name: String) async throws -> ActivatedPlugin {
        if let plugin = activated[name] { return plugin }
        guard let address = try directories.locate(name) else { throw PluginAbsence.notLocated }
        let reply = try await exchange(with: name, at: address, method: "Plugin.Activate", body: [:])
        guard let implements = reply["Implements"]?.arrayValue?.compactMap(\.stringValue) else {
            throw EngineError.internal("plugin \(name) answered Plugin.Activate without Implements")
        }
        let plugin = ActivatedPlugin(name: name, address: address, implements: implements)
        activated[name] = plugin
        recorded[name] = plugin
        seen.insert(name)
        logger.info("activated plugin", metadata: ["plugin": "\(name)", "address": "\(address)", "implements": "\(implements.joined(separator: ","))"])
        do {
            try store.record(plugin)
        } catch {
            logger.warning("could not record plugin", metadata: ["plugin": "\(name)", "error": "\(error)"])
        }
        return plugin
    }

    /// Posts `body` to `/METHOD` of the plugin at `address`; its JSON reply. A plugin that cannot be
    /// reached or breaks the connection is forgotten, to be activated again.
    func exchange(with name: String, at address: PluginAddress, method: String, body: JSONValue) async throws -> JSONValue {
        let reply: PluginReply
        do {
            reply = try await PluginHTTPClient.post(body.encoded(), to: address, path: "/" + method, timeout: timeouts.reply)
        } catch PluginExchangeError.unreachable(let reason) {
            activated[name] = nil
            throw PluginAbsence.unreachable(reason)
        } catch PluginExchangeError.broken(let reason) {
            activated[name] = nil
            throw EngineError.unavailable("plugin \(name) is not available: \(reason)")
        } catch PluginExchangeError.timedOut {
            throw EngineError.unavailable("plugin \(name) did not answer \(method) within \(timeouts.reply)")
        }
        let document = reply.body.isEmpty ? [:] : try? JSONDecoder().decode(JSONValue.self, from: reply.body)
        guard reply.status == 200 else {
            let failure = document?["Err"]?.stringValue ?? ""
            let text = failure.isEmpty ? String(decoding: reply.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : failure
            throw EngineError.internal("\(method): \(text.isEmpty ? "status \(reply.status)" : text)")
        }
        guard let document else { throw EngineError.internal("plugin \(name) answered \(method) with a body that is not JSON") }
        return document
    }
}
