## Reminders (bot/reminders.py, handlers/reminders.py)

rem-stuck =
    🔔 A reminder: you stopped at «{ $step }».
    Press /start to continue where you left off.

    /reminders — switch reminders off.
rem-teacher =
    🔔 A reminder from your class teacher: you stopped at «{ $step }».
    Press /start to continue where you left off.

    /reminders — switch reminders off.
rem-teacher-any =
    🔔 A reminder from your class teacher: the memo is not finished yet.
    Press /start to continue where you left off.

    /reminders — switch reminders off.
rem-monthly =
    🔔 A reminder: once you have your own confirmed Gosuslugi account, be sure to link { $ejournal } and Sferum — using them together is easier. The /epos command shows how.

    /epos_done — I linked { $ejournal } and Sferum ✅
    /reminders — switch reminders off.
rem-now-on = 🔔 Reminders are on. /reminders switches them off.
rem-now-off = 🔕 Reminders are off. /reminders switches them on again.
rem-btn-on = Switch reminders on
rem-btn-off = Switch reminders off
rem-epos-done = ✅ Great! No more reminders about linking { $ejournal } and Sferum.
rem-epos-no-record = Go through the memo first: press /start.
