/// A container's stdin across attaches: bytes a client sends before the process exists (`docker run -i`
/// writes stdin before it asks for the start) are kept and delivered once it does.
actor StdinRelay {
    private var pending: [UInt8] = []
    private var closed = false
    private var io: ProcessIO?

    func write(_ bytes: [UInt8]) async {
        if let io { await io.writeStdin(bytes) } else if !closed { pending += bytes }
    }

    /// The client's end of input: closes the process's stdin (at once, or as soon as it starts).
    func close() async {
        closed = true
        await io?.closeStdin()
    }

    /// Connects the process that just started, handing it what was written so far.
    func connect(_ io: ProcessIO) async {
        self.io = io
        let bytes = pending
        pending = []
        await io.writeStdin(bytes)
        if closed { await io.closeStdin() }
    }

    /// The process ended: the next run starts with a fresh stdin.
    func disconnect() {
        io = nil
        closed = false
        pending = []
    }
}
