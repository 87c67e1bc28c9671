import Foundation
import Glibc
import Messages
import NIOCore
import NIOPosix
import Synchronization

/// The standard streams of one process (a container's init process or an exec) through FIFOs that
/// containerd's shim writes and reads.
///
/// Rules the shim imposes (see the containerd research notes): without a terminal, stdout and stderr
/// are both set; the shim blocks opening a FIFO for writing until a reader has it open, so the readers
/// open (non-blocking) before the task is created. Each output FIFO also gets a "keeper" write end of
/// ours, so a reader does not see end-of-file before the shim has opened it; the keepers are released
/// once the process has exited, and the output then ends when the shim has flushed the rest.
///
/// The stdin FIFO is opened read-write by berthd: the open never blocks, and bytes written before the
/// process starts wait in the pipe. The shim keeps a write end of its own, so closing ours is not an
/// end-of-file: `closeStdin` then asks containerd to close the shim's (`stdinCloser`).
final class ProcessIO: Sendable {
    let stdio: TaskStdio
    private let outputs: [(stream: OutputChunk.Stream, channel: FIFOReader)]
    private let stdinChannel: (any Channel)?
    private let keepers: Mutex<[Int32]>
    private let paths: [String]
    private let stdinCloser: @Sendable () async -> Void
    private let stdinClosed = Atomic<Bool>(false)
    private let released = Atomic<Bool>(false)

    private init(
        stdio: TaskStdio, outputs: [(stream: OutputChunk.Stream, channel: FIFOReader)], stdin: (any Channel)?,
        keepers: [Int32], paths: [String], stdinCloser: @escaping @Sendable () async -> Void
    ) {
        self.stdio = stdio
        self.outputs = outputs
        self.stdinChannel = stdin
        self.keepers = Mutex(keepers)
        self.paths = paths
        self.stdinCloser = stdinCloser
    }

    /// Creates (or reopens, after a restart of berthd) the FIFOs `<directory>/<name>-stdin|stdout|stderr`.
    static func open(
        directory: String, name: String, stdin: Bool, tty: Bool, stdinCloser: @escaping @Sendable () async -> Void = {}
    ) async throws -> ProcessIO {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = directory + "/" + name
        var stdio = TaskStdio(terminal: tty)
        var opened: [Int32] = []
        do {
            var outputs: [(stream: OutputChunk.Stream, channel: FIFOReader)] = []
            var keepers: [Int32] = []
            for stream in tty ? [OutputChunk.Stream.stdout] : [.stdout, .stderr] {
                let path = base + (stream == .stdout ? "-stdout" : "-stderr")
                try makeFIFO(path)
                let reader = try openFIFO(path, flags: O_RDONLY)
                opened.append(reader)
                let keeper = try openFIFO(path, flags: O_WRONLY)
                opened.append(keeper)
                keepers.append(keeper)
                outputs.append((stream, try await channel(input: reader)))
                opened.removeAll { $0 == reader }
                if stream == .stdout { stdio.stdout = path } else { stdio.stderr = path }
            }
            var stdinChannel: (any Channel)?
            if stdin {
                let path = base + "-stdin"
                try makeFIFO(path)
                let fd = try openFIFO(path, flags: O_RDWR)
                opened.append(fd)
                stdinChannel = try await channel(output: fd)
                opened.removeAll { $0 == fd }
                stdio.stdin = path
            }
            let paths = [stdio.stdin, stdio.stdout, stdio.stderr].filter { !$0.isEmpty }
            return ProcessIO(stdio: stdio, outputs: outputs, stdin: stdinChannel, keepers: keepers, paths: paths, stdinCloser: stdinCloser)
        } catch {
            for fd in opened { Glibc.close(fd) }
            throw error
        }
    }

    /// Reads every output stream until its end, handing each chunk to `deliver` in order per stream; called
    /// once. A FIFO is read only as fast as `deliver` returns (a few reads ahead): while it waits (for an
    /// attached client, see ``OutputHub``), the pipe fills and the process's writes wait, instead of its
    /// output piling up here.
    func pump(_ deliver: @escaping @Sendable (OutputChunk) async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            for output in outputs {
                group.addTask {
                    try? await output.channel.executeThenClose { chunks in
                        for try await buffer in chunks {
                            await deliver(OutputChunk(stream: output.stream, bytes: Array(buffer.readableBytesView), timeNano: UnixTime.nowNano))
                        }
                    }
                }
            }
        }
    }

    /// Writes to the process's stdin (queued in the pipe until the process reads).
    func writeStdin(_ bytes: [UInt8]) async {
        guard let stdinChannel, !bytes.isEmpty else { return }
        try? await stdinChannel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Closes stdin: the process reads end-of-file once the pipe is drained.
    func closeStdin() async {
        guard let stdinChannel, !stdinClosed.exchange(true, ordering: .relaxed) else { return }
        try? await stdinChannel.close()
        await stdinCloser()
    }

    /// Lets the outputs end: called once the process has exited.
    func releaseKeepers() {
        released.store(true, ordering: .releasing)
        keepers.withLock { fds in
            for fd in fds { Glibc.close(fd) }
            fds = []
        }
    }

    /// Whether the keepers are released: the process has exited, or berthd stops reading. What its output
    /// still brings is then the pipes' rest, and nothing should wait for a client to read it.
    var isReleased: Bool { released.load(ordering: .acquiring) }

    /// Closes everything at once (the output is not drained) and removes the FIFOs.
    func close() async {
        await closeChannels()
        await closeStdin()
        removeFIFOs()
    }

    /// Stops reading and leaves the FIFOs for the next reader (the process runs on). The stdin end stays
    /// open on purpose: closing it would hand the process an end-of-file it never asked for; the next
    /// reader opens a stdin end of its own.
    func closeChannels() async {
        releaseKeepers()
        for output in outputs { try? await output.channel.channel.close() }
    }

    func removeFIFOs() {
        for path in paths { unlink(path) }
    }

    /// Removes the FIFOs `open(directory:name:…)` makes, whether or not they are open here.
    static func removeFIFOs(directory: String, name: String) {
        for stream in ["stdin", "stdout", "stderr"] { unlink(directory + "/" + name + "-" + stream) }
    }

    private static func makeFIFO(_ path: String) throws {
        guard mkfifo(path, 0o600) == 0 || errno == EEXIST else {
            throw EngineError.internal("mkfifo \(path): \(String(cString: strerror(errno)))")
        }
    }

    private static func openFIFO(_ path: String, flags: Int32) throws -> Int32 {
        let fd = Glibc.open(path, flags | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw EngineError.internal("open \(path): \(String(cString: strerror(errno)))") }
        return fd
    }

    /// A channel reading the FIFO `fd` from the moment it is registered, at most a few reads ahead of its
    /// consumer.
    private static func channel(input fd: Int32) async throws -> FIFOReader {
        try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton).takingOwnershipOfDescriptor(input: fd) { channel in
            channel.eventLoop.makeCompletedFuture {
                try FIFOReader(
                    wrappingChannelSynchronously: channel,
                    configuration: .init(backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8)))
            }
        }
    }

    private static func channel(output fd: Int32) async throws -> any Channel {
        try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton).takingOwnershipOfDescriptor(output: fd) { channel in
            channel.eventLoop.makeSucceededFuture(channel)
        }
    }
}

/// An output FIFO's channel: what it reads, nothing written.
typealias FIFOReader = NIOAsyncChannel<ByteBuffer, Never>
