@interruptions @sim-only @destructive
Feature: Pop-ups that interrupt the flow are dismissed
  Real phones interrupt: an update prompt, Android's notification permission, a "Swipe up" hint,
  a contacts sync offer. The flow closes them (never taking the update) and carries on.

  @critical
  Scenario: Every kind of pop-up appears mid-flow and the cancel still completes
    Given the app shows the world "interruptions"
    And I open the TikTok app logged in as the account that started the promotion
    When I cancel the promotion "Summer haul try-on"
    Then the app shows the promotion "Summer haul try-on" as cancelled
    And these pop-ups were dismissed on the way:
      | pop-up                  |
      | swipe-up hint           |
      | notification permission |
      | update prompt           |
      | contacts sync           |

  @normal
  Scenario: Pop-ups at random moments do not stop the cancel
    Given pop-ups interrupt the app at random (seed 7)
    And I open the TikTok app logged in as the account that started the promotion
    When I cancel the promotion "Latte art in 30 seconds"
    Then the app shows the promotion "Latte art in 30 seconds" as cancelled
    And at least one pop-up was dismissed on the way
