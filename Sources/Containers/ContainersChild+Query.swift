import Messages

extension ContainersChild {
    public func inspect(_ ref: String) async throws -> ContainerRecord {
        try resolve(ref)
    }

    public func list(all: Bool, filters: [String: [String]]) async throws -> [ContainerRecord] {
        let filter = try ContainerFilter(filters)
        let explicitStatus = filters["status"]?.isEmpty == false
        // Sorted as (time, ID) pairs: moving whole records around in a sort costs more than the listing.
        return records.values.lazy
            .filter { (all || explicitStatus || $0.state.isRunning) && filter.matches($0, among: self.records) }
            .map { (created: $0.createdNano, id: $0.id) }
            .sorted { $0.created > $1.created }
            .compactMap { records[$0.id] }
    }
}
