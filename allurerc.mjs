// Allure Report 3 settings for `npx allure generate` (make report, harness/report/html.py).
// ALLURE_SINGLE_FILE=1 builds one self-contained index.html (the CI artifact) instead of a directory.
import { readFileSync } from "node:fs";

const singleFile = process.env.ALLURE_SINGLE_FILE === "1";

// The failure categories are data shared with the harness (harness/report/categories.json): each test
// result carries a "failure class" label from the error that failed it, and a "locator drift" label per
// target that matched a fallback; Allure 3 matches its category rules on labels (first match wins).
const shared = JSON.parse(readFileSync(new URL("./harness/report/categories.json", import.meta.url), "utf-8"));
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const categories = shared.rules.map((rule) => ({
  name: rule.name,
  matchers: {
    ...(rule.statuses ? { statuses: rule.statuses } : {}),
    labels: { [rule.label]: new RegExp(rule.pattern ?? `^${escape(rule.value)}$`) },
  },
  groupByMessage: rule.label !== shared.drift_label,
  expand: false, // the tab lists the categories with their counts; a click opens one
}));

export default {
  name: "TikTok promotion cancel flow",
  output: singleFile ? "reports/allure-report-single" : "reports/allure-report",
  categories,
  // Labels a person has no use for (the test adapter's host, thread and Python build; the xdist worker and
  // the per-device ports, which tests/appium/test_parallel_devices.py reads from the results).
  hideLabels: ["host", "thread", "language", "framework", "worker", "device.ports"],
  plugins: {
    awesome: {
      options: {
        reportName: "TikTok promotion cancel flow",
        singleFile,
        groupBy: ["feature"],
        // Every step open on its test's page: a step's picture is one click away (its row), not two.
        stepTreeExpansion: "expanded",
      },
    },
  },
};
