import Foundation
import NIOPosix

/// Runs a host program (`mount`, `cp`, a CNI plugin, …) on NIO's thread pool — never on an actor's
/// executor — and collects its output. Meant for programs that print little on stderr (it is read
/// after stdout ends).
public struct HostCommand: Sendable {
    public var executable: String
    public var arguments: [String]
    public var environment: [String: String]?
    public var input: Data

    public init(executable: String, arguments: [String] = [], environment: [String: String]? = nil, input: Data = Data()) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.input = input
    }

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: Data
        public var stderr: Data

        /// Stderr as text, trimmed: what to quote in an error.
        public var message: String { String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The program could not be started at all.
    public struct LaunchError: Error, CustomStringConvertible {
        public let description: String
    }

    public func run() async throws -> Output {
        try await NIOThreadPool.singleton.runIfActive { try runBlocking() }
    }

    private func runBlocking() throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw LaunchError(description: "cannot run \(executable): \(error)")
        }
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errorOutput = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: output, stderr: errorOutput)
    }
}
