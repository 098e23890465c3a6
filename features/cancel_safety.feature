@safety
Feature: Cancel only what is provably right
  Before Cancel, the account that started the promotion and the chosen promotion must be on
  screen; otherwise nothing is tapped and the reason is said in one sentence.

  @critical
  Scenario: A different account is logged in: the cancel is refused and nothing changes
    Given the promotions were started by the account "other.brand"
    And I open the TikTok app
    When I try to cancel the promotion "Summer haul try-on"
    Then the cancel is refused because a different account is logged in
    And the promotion "Summer haul try-on" is still listed as active

  @sim-only @critical
  Scenario: Nobody is logged in
    Given the app shows the world "logged-out"
    And I open the TikTok app
    When I try to cancel the promotion "Summer haul try-on"
    Then the cancel fails saying that nobody is logged in

  @sim-only @normal
  Scenario: No promotion is active: nothing to cancel
    Given the app shows the world "none-active"
    And I open the TikTok app logged in as the account that started the promotion
    When I try to cancel the promotion "Summer haul try-on"
    Then I am told there is nothing to cancel

  @normal
  Scenario: An unknown title fails and names the active promotions
    Given I open the TikTok app logged in as the account that started the promotion
    When I try to cancel the promotion "Winter sale"
    Then the cancel fails and names the active promotions:
      | title                   |
      | Summer haul try-on      |
      | Latte art in 30 seconds |

  @sim-only @critical
  Scenario: Two promotions share a title: refused as ambiguous
    Given the app shows the world "duplicate-titles"
    And I open the TikTok app logged in as the account that started the promotion
    When I try to cancel the promotion "Morning routine"
    Then the cancel is refused as ambiguous
    And the app's ledger shows every promotion called "Morning routine" still active
