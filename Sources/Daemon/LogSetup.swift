import Logging
import Messages
import Synchronization

/// berthd's logging: lines on standard error, at a level a reload can change.
enum LogSetup {
    /// The level every berthd logger follows; a reload sets it.
    static let level = Atomic<Int>(Logger.Level.info.index)

    static func bootstrap(_ config: DaemonConfig) {
        apply(config)
        LoggingSystem.bootstrap { label in LevelFollowingHandler(base: StreamLogHandler.standardError(label: label)) }
    }

    /// Applies `debug` and `log-level`.
    static func apply(_ config: DaemonConfig) {
        level.store(Self.level(of: config).index, ordering: .relaxed)
    }

    static func level(of config: DaemonConfig) -> Logger.Level {
        if config.debug { return .debug }
        switch config.logLevel {
        case "debug": return .debug
        case "warn": return .warning
        case "error": return .error
        case "fatal": return .critical
        default: return .info
        }
    }
}

/// A handler whose level is `LogSetup.level`, whatever the logger sets.
struct LevelFollowingHandler: LogHandler {
    var base: StreamLogHandler

    var logLevel: Logger.Level {
        get { Logger.Level.allCases[LogSetup.level.load(ordering: .relaxed)] }
        set {}
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        base.log(event: event)
    }
}

extension Logger.Level {
    var index: Int { Logger.Level.allCases.firstIndex(of: self) ?? 2 }
}
