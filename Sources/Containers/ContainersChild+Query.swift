import Messages

extension ContainersChild {
    public func inspect(_ ref: String) async throws -> ContainerRecord {
        try resolve(ref)
    }

    public func list(all: Bool, filters: [String: [String]]) async throws -> [ContainerRecord] {
        let filter = try ContainerFilter(filters)
        let explicitStatus = filters["status"]?.isEmpty == false
        return records.values
            .filter { (all || explicitStatus || $0.state.isRunning) && filter.matches($0, among: records) }
            .sorted { $0.createdNano > $1.createdNano }
    }
}
