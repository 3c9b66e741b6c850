/// The benchmark's public task suite: small, realistic repositories in Python and C, each
/// kind of task in both languages. The tasks are data (`TaskSuite+Python.swift`,
/// `TaskSuite+C.swift`); their order is the order of a run.
public enum TaskSuite {
    /// Every task, Python first.
    public static let all: [BenchmarkTask] = python + c

    /// The tasks with these ids, in suite order; throws naming any id that does not exist.
    public static func select(_ ids: [String]) throws -> [BenchmarkTask] {
        guard !ids.isEmpty else { return all }
        let unknown = ids.filter { id in !all.contains { $0.id == id } }
        guard unknown.isEmpty else {
            throw BenchmarkError(.invalidOption, "no task named \(unknown.joined(separator: ", "))",
                                 hint: "the tasks are \(all.map(\.id).joined(separator: ", "))")
        }
        return all.filter { ids.contains($0.id) }
    }

    /// The check command of a language's tests, as a person would run them.
    static func testCommand(_ language: BenchmarkTask.Language) -> CheckStep {
        switch language {
        case .python: return .command(["python3", "-m", "unittest", "-q"])
        // -B rebuilds from scratch: an agent's stale test binary never counts.
        case .c: return .command(["make", "-s", "-B", "test"])
        }
    }
}
