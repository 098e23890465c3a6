@monitoring
Feature: Monitor the budget and performance of active promotions
  The guide's best practice: keep an eye on how each promotion performs and what it spends,
  and cancel what does not pay off.

  @smoke @normal
  Scenario: Read every active promotion's budget and performance into a table
    Given I open the TikTok app logged in as the account that started the promotion
    When I read the budget and performance metrics of every active promotion
    Then I get a row for each active promotion with these columns:
      | column   |
      | title    |
      | budget   |
      | duration |
      | spent    |
      | views    |
      | likes    |
      | comments |
      | shares   |
    And no active promotion has spent more than its budget

  @sim-only @normal
  Scenario: The table shows each promotion's numbers as the app has them
    Given the app shows the world "default"
    And I open the TikTok app logged in as the account that started the promotion
    When I read the budget and performance metrics of every active promotion
    Then the table of active promotions is:
      | title                   | status | budget        | spent  | views | likes | comments | shares |
      | Summer haul try-on      | Active | $50.00 total  | $21.40 | 5,350 | 428   | 21       | 32     |
      | Latte art in 30 seconds | Active | $10.00/day    | $10.00 | 2,500 | 190   | 9        | 15     |

  @sim-only @long-list @slow @minor
  Scenario: Monitor a list longer than one screen
    Given the app shows the world "two-screens"
    And I open the TikTok app logged in as the account that started the promotion
    When I read the budget and performance metrics of every active promotion
    Then the table has 10 active promotions
    And no active promotion has spent more than its budget
