// Allure Report 3 settings for `npx allure generate` (make report, harness/report/html.py).
// ALLURE_SINGLE_FILE=1 builds one self-contained index.html (the CI artifact) instead of a directory.
const singleFile = process.env.ALLURE_SINGLE_FILE === "1";

export default {
  name: "TikTok promotion cancel flow",
  output: singleFile ? "reports/allure-report-single" : "reports/allure-report",
  plugins: {
    awesome: {
      options: {
        reportName: "TikTok promotion cancel flow",
        singleFile,
        groupBy: ["feature"],
      },
    },
  },
};
