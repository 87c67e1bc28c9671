import Messages

extension ContainersChild {
    public func inspect(_ ref: String) async throws -> ContainerRecord {
        try resolve(ref)
    }

    public func list(all: Bool, filters: [String: [String]]) async throws -> [ContainerRecord] {
        let filter = try ContainerFilter(filters)
        let explicitStatus = filters["status"]?.isEmpty == false
        // Sorted as (time, position) pairs: moving whole records around in a sort costs more than the
        // listing, and reading them in place copies only what is returned.
        let values = records.values
        return values.indices
            .filter { (all || explicitStatus || values[$0].state.isRunning) && filter.matches(values[$0], among: records) }
            .map { (created: values[$0].createdNano, position: $0) }
            .sorted { $0.created > $1.created }
            .map { values[$0.position] }
    }
}
