import Containers
import Messages
import Testing

@Suite struct LogsDriverTests {
    private func driver(_ type: String, _ options: [String: String] = [:]) throws(EngineError) -> LogDriver {
        try LogDriver(LogConfig(type: type, config: options))
    }

    private func message(_ type: String, _ options: [String: String]) -> String? {
        do throws(EngineError) {
            _ = try driver(type, options)
            return nil
        } catch {
            #expect(error.code == .invalidArgument)
            return error.message
        }
    }

    @Test func parsesJSONFileOptions() throws {
        #expect(try driver("json-file") == .jsonFile(LogRotation(maxSize: nil, maxFiles: 1)))
        #expect(try driver("json-file", ["max-size": "10k", "max-file": "3"]) == .jsonFile(LogRotation(maxSize: 10_000, maxFiles: 3)))
        #expect(try driver("json-file", ["max-size": "1m"]) == .jsonFile(LogRotation(maxSize: 1_000_000, maxFiles: 1)))
        #expect(try driver("json-file", ["max-size": "1.5g"]) == .jsonFile(LogRotation(maxSize: 1_500_000_000, maxFiles: 1)))
        #expect(try driver("json-file", ["max-size": "2048"]) == .jsonFile(LogRotation(maxSize: 2048, maxFiles: 1)))
        #expect(try driver("json-file", ["max-size": "-1"]) == .jsonFile(LogRotation(maxSize: nil, maxFiles: 1)))
        // As in dockerd, max-file without max-size is accepted and changes nothing.
        #expect(try driver("json-file", ["max-file": "4"]) == .jsonFile(LogRotation(maxSize: nil, maxFiles: 4)))
        let accepted = ["compress": "true", "max-size": "1m", "max-file": "2", "labels": "a", "env": "B", "tag": "{{.Name}}", "mode": "non-blocking", "max-buffer-size": "4m"]
        #expect(try driver("json-file", accepted) == .jsonFile(LogRotation(maxSize: 1_000_000, maxFiles: 2)))
    }

    @Test func rejectsJSONFileOptionsWithDockerdsMessages() {
        #expect(message("json-file", ["max-sise": "1m"]) == "unknown log opt 'max-sise' for json-file log driver")
        #expect(message("json-file", ["max-size": "ten"]) == "invalid size: 'ten'")
        #expect(message("json-file", ["max-size": "0"]) == "max-size must be a positive number")
        #expect(message("json-file", ["max-file": "0"]) == "max-file cannot be less than 1")
        #expect(message("json-file", ["max-file": "x"]) == #"strconv.Atoi: parsing "x": invalid syntax"#)
        #expect(message("json-file", ["compress": "yes"]) == #"strconv.ParseBool: parsing "yes": invalid syntax"#)
        #expect(message("json-file", ["compress": "true", "max-size": "1m"]) == "compress cannot be true when max-file is less than 2 or max-size is not set")
        #expect(message("json-file", ["mode": "fast"]) == "logger: logging mode not supported: fast")
        #expect(message("json-file", ["max-buffer-size": "1m"]) == "logger: max-buffer-size option is only supported with 'mode=non-blocking'")
    }

    @Test func parsesLocalOptions() throws {
        #expect(try driver("local") == .local(LogRotation(maxSize: 20 * 1024 * 1024, maxFiles: 5)))
        #expect(try driver("local", ["max-size": "1k", "max-file": "2"]) == .local(LogRotation(maxSize: 1000, maxFiles: 2)))
        #expect(try driver("local", ["max-file": "1", "compress": "false"]) == .local(LogRotation(maxSize: 20 * 1024 * 1024, maxFiles: 1)))
        #expect(message("local", ["max-file": "1"]) == "compression cannot be enabled when max file count is 1")
        #expect(message("local", ["tag": "x"]) == "unknown log opt 'tag' for log driver local")
        #expect(message("local", ["max-size": "big"]) == "invalid value for max-size: big: invalid size: 'big'")
    }

    @Test func knowsNoneAndRejectsOtherDrivers() throws {
        #expect(try driver("none", ["anything": "goes"]) == .none)
        #expect(message("syslog", [:]) == "logger: no log driver named 'syslog' is registered")
    }

    @Test func mergesTheDaemonsDefaultsAsDockerdDoes() {
        let defaults = ["max-size": "10m", "max-file": "3", "cache-disabled": "true"]
        #expect(LogConfig.merged(nil, daemonDriver: "json-file", daemonOptions: defaults) == LogConfig(type: "json-file", config: defaults))
        #expect(
            LogConfig.merged(LogConfig(type: "", config: ["max-file": "5"]), daemonDriver: "json-file", daemonOptions: defaults)
                == LogConfig(type: "json-file", config: ["max-size": "10m", "max-file": "5", "cache-disabled": "true"]))
        #expect(
            LogConfig.merged(LogConfig(type: "local"), daemonDriver: "json-file", daemonOptions: defaults)
                == LogConfig(type: "local", config: ["cache-disabled": "true"]))
    }
}
