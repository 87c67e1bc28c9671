import Messages

extension ContainersChild {
    /// Follows containerd's out-of-memory events for this incarnation's life: the container's state
    /// says `OOMKilled` and an `oom` event goes out. Subscribes again when containerd's connection drops.
    func watchOutOfMemory() -> Task<Void, Never> {
        let containerd = subsystems.containerd
        return Task {
            while !Task.isCancelled {
                do {
                    let events = try await containerd.ask { try await $0.outOfMemoryEvents() }
                    for try await id in events { await self.outOfMemory(id) }
                } catch {
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    private func outOfMemory(_ id: String) async {
        guard records[id] != nil else { return }
        try? update(id) { $0.state.oomKilled = true }
        if let record = records[id] { await publish("oom", record) }
    }
}
