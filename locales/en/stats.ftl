# /stats: the funnel for the reader's scope (a class, a school, every school).
stats-not-staff = Statistics are for teachers and school admins. If you are a teacher, ask your school admin for an invite link.
stats-nothing = You have no class or school yet, so there are no statistics. Classes appear once the school admin adds them.
stats-class-title = 📊 <b>Class { $class }</b>, { $school }
stats-school-title = 📊 <b>{ $school }</b>
stats-municipality-title = 📊 <b>All schools</b>
stats-as-of = as of { $time }
stats-started = Wrote to the bot: { $users }; gave consent: { $consented }; no class chosen yet: { $without_class }
stats-students = Students who chose the class: { $count }
stats-students-of = Students who chose the class: { $count } of { $expected }
stats-named = Gave their first and last name: { $count }
stats-finished = Finished every step of the memo: { $count } ({ $percent } %)
stats-now = Now at:
stats-at-name = • choosing the class and name: { $count }
stats-at-memo1 = • step 1, the messenger: { $count }
stats-at-memo2 = • step 2, the study profile: { $count }
stats-at-fork = • the Gosuslugi question: { $count }
stats-at-memo4 = • linking { $ejournal }: { $count }
stats-at-memo3 = • joining the class (variant 1 or 2): { $count }
stats-paths = Path: through { $ejournal } — { $epos }, variant 1 — { $variant1 }, variant 2 — { $variant2 }
stats-requests = Requests: ⏳ awaiting a decision — { $pending }, ✅ approved — { $approved }, ❌ declined — { $rejected }
stats-linked = Of those who took variant 1 or 2, later linked { $ejournal }: { $count }
stats-blocked = Blocked the bot: { $count }
stats-stuck = At the same step for more than { $days } { $days ->
        [one] day
       *[other] days
    }: { $count }
stats-anonymous = Of them anonymised after the retention period (not in /class): { $count }
stats-days = Finished in the last 30 days: { $count }, today: { $today }
stats-stuck-title = <b>At the same step for more than { $days } { $days ->
        [one] day
       *[other] days
    }</b>:
stats-stuck-line = { $number }. { $name } — { $step }, since { $since }
stats-stuck-no-name = (no name given)
stats-stuck-none = Nobody has been at the same step for more than { $days } { $days ->
        [one] day
       *[other] days
    }.
stats-classes-title = <b>Classes</b>, the furthest behind first (finished / chose the class):
stats-class-line = { $class }: { $finished } / { $students }{ $expected ->
        [0] {""}
       *[other] {" "}of { $expected }
    }; ⏳ { $pending }; at one step: { $stuck }
stats-waiting-title = <b>Requests awaiting a decision for more than 2 days</b>:
stats-waiting-line = { $class } — { $teachers }: { $count }, the oldest since { $since }
stats-waiting-no-teacher = the class's teacher is not in the bot
stats-waiting-none = No request has been waiting for more than 2 days.
stats-schools-title = <b>Schools</b>, the furthest behind first (finished / chose a class):
stats-school-line = { $school }: { $finished } / { $students }; ⏳ { $pending }
stats-without-teachers = <b>Schools with no teacher in the bot</b> ({ $count }):
stats-without-teachers-none = Every school has at least one teacher in the bot.
stats-btn-nudge = 🔔 Remind those at one step ({ $count })
stats-btn-xlsx = 📥 Excel report
stats-forbidden = These statistics are not of your class or school: nothing is shown.
stats-xlsx-wait = Preparing the file…
stats-xlsx-caption = 📥 Report: { $scope }, as of { $time }
stats-nudged = 🔔 The reminder is going to { $sent } { $sent ->
        [one] student
       *[other] students
    }.{ $skipped ->
        [0] {""}
       *[other] {" "}Not sent to { $skipped }: reminded by a teacher within the last day, reminders switched off, the bot blocked, or the memo already finished.
    }
stats-nudge-quiet = 🌙 Quiet hours now ({ $from }:00–{ $to }:00): nothing was sent to the students. Press the button again after { $to }:00.
stats-nudge-nobody = Nobody in the class has been at one step for more than { $days } { $days ->
        [one] day
       *[other] days
    } now: there is nobody to remind.
# The chart (a photo with the text) and the Excel report.
stats-chart-title = { $scope }: how far students are
stats-chart-days = Finished per day, the last 30 days
stats-chart-empty = Nobody finished in the last 30 days
stats-bar-users = Wrote to the bot
stats-bar-consented = Gave consent
stats-bar-students = Chose a class
stats-bar-named = Gave a name
stats-bar-path = Reached step 3
stats-bar-finished = Finished every step
stats-list-item = • { $name }
stats-scope-all = All schools

# The Excel report (bot/stats_report.py): sheets, columns, values.
xlsx-sheet-summary = Summary
xlsx-sheet-schools = Schools
xlsx-sheet-classes = Classes
xlsx-sheet-students = Students
xlsx-col-figure = Figure
xlsx-col-value = Value
xlsx-col-school = School
xlsx-col-class = Class
xlsx-col-name = First and last name
xlsx-col-step = Step
xlsx-col-path = Path
xlsx-col-request = Request
xlsx-col-step-at = At the step since
xlsx-col-finished-at = Finished
xlsx-col-students = Chose the class
xlsx-col-expected = Class size (given)
xlsx-col-named = Gave a name
xlsx-col-finished = Finished every step
xlsx-col-percent = Finished, %
xlsx-col-at-name = Now: class and name
xlsx-col-at-memo1 = Now: step 1
xlsx-col-at-memo2 = Now: step 2
xlsx-col-at-fork = Now: the Gosuslugi question
xlsx-col-at-memo4 = Now: linking { $ejournal }
xlsx-col-at-memo3 = Now: joining the class
xlsx-col-epos = Path through { $ejournal }
xlsx-col-variant1 = Variant 1
xlsx-col-variant2 = Variant 2
xlsx-col-linked = Later linked { $ejournal }
xlsx-col-pending = Requests waiting
xlsx-col-approved = Requests approved
xlsx-col-rejected = Requests declined
xlsx-col-blocked = Blocked the bot
xlsx-col-stuck = At one step too long
xlsx-col-anonymous = Anonymised
xlsx-path-epos = through { $ejournal }
xlsx-path-variant1 = variant 1
xlsx-path-variant2 = variant 2
xlsx-path-none = not chosen
xlsx-request-pending = awaiting a decision
xlsx-request-approved = approved
xlsx-request-rejected = declined
xlsx-request-none = none
