/// Whether a path is test code, by the conventions of the languages Partner reads: a
/// directory of tests (`tests/`, `test/`, `__tests__/`, `spec/`, `testing/`), or a file name
/// that says so (`test_calc.py`, `calc_test.go`, `CalcTests.swift`, `calc.test.ts`,
/// `calc.spec.js`). One rule for the repository map, the agent's choice of files to show and
/// the edit tool's hints.
public enum TestFiles {
    public static func isTest(_ path: String) -> Bool {
        let components = path.split(separator: "/")
        if components.dropLast().contains(where: { ["tests", "test", "__tests__", "spec", "testing"].contains($0.lowercased()) }) {
            return true
        }
        let name = String(components.last ?? "")
        let stem = name.firstIndex(of: ".").map { String(name[..<$0]) } ?? name
        let lowered = stem.lowercased()
        return lowered.hasPrefix("test_") || lowered.hasSuffix("_test") || lowered.hasSuffix("_tests")
            || stem.hasSuffix("Test") || stem.hasSuffix("Tests")
            || name.lowercased().contains(".test.") || name.lowercased().contains(".spec.")
    }
}
