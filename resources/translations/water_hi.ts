<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi_IN">
    <context>
        <name>Screens</name>
        <message>
            <source>Water</source>
            <translation>जल</translation>
        </message>
    </context>
    <context>
        <name>WaterScreen</name>
        <message>
            <source>%1 connections shown</source>
            <translation>%1 कनेक्शन दिखाए गए</translation>
        </message>
        <message>
            <source>%1 on %2</source>
            <translation>%2 को %1</translation>
        </message>
        <message>
            <source>A month (e.g. 2026-11) charges the monthly connections; an FY quarter (e.g. 2026-27-Q3) charges the quarterly ones and the quarter's three months of the monthly ones. Charges already raised are left as they are.</source>
            <translation>माह (जैसे 2026-11) चुनने पर मासिक कनेक्शनों पर शुल्क लगता है; वित्त वर्ष की तिमाही (जैसे 2026-27-Q3) चुनने पर त्रैमासिक कनेक्शनों पर और मासिक कनेक्शनों पर तिमाही के तीनों माह का। पहले से लगे शुल्क यथावत रहते हैं।</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>चालू</translation>
        </message>
        <message>
            <source>Address (English)</source>
            <translation>पता (अंग्रेज़ी)</translation>
        </message>
        <message>
            <source>Address (Hindi)</source>
            <translation>पता (हिंदी)</translation>
        </message>
        <message>
            <source>Amount</source>
            <translation>राशि</translation>
        </message>
        <message>
            <source>Billing cycle</source>
            <translation>बिलिंग चक्र</translation>
        </message>
        <message>
            <source>Bulk</source>
            <translation>थोक</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>श्रेणी</translation>
        </message>
        <message>
            <source>Category and pipe</source>
            <translation>श्रेणी और पाइप</translation>
        </message>
        <message>
            <source>Charged up to and including the month of disconnection; nothing after.</source>
            <translation>विच्छेद वाले माह तक शुल्क लगेगा; उसके बाद नहीं।</translation>
        </message>
        <message>
            <source>Charges and fees raised</source>
            <translation>लगाए गए शुल्क</translation>
        </message>
        <message>
            <source>Commercial</source>
            <translation>व्यावसायिक</translation>
        </message>
        <message>
            <source>Connected on</source>
            <translation>कनेक्शन दिनांक</translation>
        </message>
        <message>
            <source>Connection %1</source>
            <translation>कनेक्शन %1</translation>
        </message>
        <message>
            <source>Connection fee</source>
            <translation>कनेक्शन शुल्क</translation>
        </message>
        <message>
            <source>Consumer No.</source>
            <translation>उपभोक्ता क्रमांक</translation>
        </message>
        <message>
            <source>Consumer No., meter No., property ID, holder's name or mobile (Ctrl+F)</source>
            <translation>उपभोक्ता क्रमांक, मीटर क्रमांक, संपत्ति आईडी, धारक का नाम या मोबाइल (Ctrl+F)</translation>
        </message>
        <message>
            <source>Consumption</source>
            <translation>खपत</translation>
        </message>
        <message>
            <source>Consumption since the last reading: %1</source>
            <translation>पिछली रीडिंग से खपत: %1</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>दिनांक</translation>
        </message>
        <message>
            <source>Disconnect %1</source>
            <translation>%1 विच्छेद करें</translation>
        </message>
        <message>
            <source>Disconnected</source>
            <translation>विच्छेदित</translation>
        </message>
        <message>
            <source>Disconnect…</source>
            <translation>विच्छेद करें…</translation>
        </message>
        <message>
            <source>Domestic</source>
            <translation>घरेलू</translation>
        </message>
        <message>
            <source>Due</source>
            <translation>देय</translation>
        </message>
        <message>
            <source>Due date</source>
            <translation>देय तिथि</translation>
        </message>
        <message>
            <source>Edit the connection</source>
            <translation>कनेक्शन संपादित करें</translation>
        </message>
        <message>
            <source>Edit water connection %1</source>
            <translation>जल कनेक्शन %1 संपादित करें</translation>
        </message>
        <message>
            <source>Edit… (Ctrl+E)</source>
            <translation>संपादित करें… (Ctrl+E)</translation>
        </message>
        <message>
            <source>Find a connection</source>
            <translation>कनेक्शन खोजें</translation>
        </message>
        <message>
            <source>Flat (unmetered)</source>
            <translation>एकमुश्त (बिना मीटर)</translation>
        </message>
        <message>
            <source>Generate demand… (Ctrl+G)</source>
            <translation>मांग सृजित करें… (Ctrl+G)</translation>
        </message>
        <message>
            <source>Generate water demand</source>
            <translation>जल मांग सृजित करें</translation>
        </message>
        <message>
            <source>Head</source>
            <translation>मद</translation>
        </message>
        <message>
            <source>Holder</source>
            <translation>धारक</translation>
        </message>
        <message>
            <source>Holder's name (English)</source>
            <translation>धारक का नाम (अंग्रेज़ी)</translation>
        </message>
        <message>
            <source>Holder's name (Hindi)</source>
            <translation>धारक का नाम (हिंदी)</translation>
        </message>
        <message>
            <source>Industrial</source>
            <translation>औद्योगिक</translation>
        </message>
        <message>
            <source>Last reading</source>
            <translation>पिछली रीडिंग</translation>
        </message>
        <message>
            <source>Lower than the last reading: choose why (meter replaced or rolled over) to record it.</source>
            <translation>पिछली रीडिंग से कम: दर्ज करने के लिए कारण चुनें (मीटर बदला गया या पूरा घूम गया)।</translation>
        </message>
        <message>
            <source>Meter</source>
            <translation>मीटर</translation>
        </message>
        <message>
            <source>Meter No.</source>
            <translation>मीटर क्रमांक</translation>
        </message>
        <message>
            <source>Meter reading of %1</source>
            <translation>%1 की मीटर रीडिंग</translation>
        </message>
        <message>
            <source>Meter reading when connected</source>
            <translation>कनेक्शन के समय मीटर रीडिंग</translation>
        </message>
        <message>
            <source>Meter readings</source>
            <translation>मीटर रीडिंग</translation>
        </message>
        <message>
            <source>Meter reading… (Ctrl+R)</source>
            <translation>मीटर रीडिंग… (Ctrl+R)</translation>
        </message>
        <message>
            <source>Meter replaced (new meter from 0)</source>
            <translation>मीटर बदला गया (नया मीटर 0 से)</translation>
        </message>
        <message>
            <source>Meter rolled over (passed its maximum)</source>
            <translation>मीटर पूरा घूमकर 0 से (अधिकतम पार)</translation>
        </message>
        <message>
            <source>Metered</source>
            <translation>मीटरयुक्त</translation>
        </message>
        <message>
            <source>Mobile</source>
            <translation>मोबाइल</translation>
        </message>
        <message>
            <source>Monthly</source>
            <translation>मासिक</translation>
        </message>
        <message>
            <source>New connection</source>
            <translation>नया कनेक्शन</translation>
        </message>
        <message>
            <source>New connection… (Ctrl+N)</source>
            <translation>नया कनेक्शन… (Ctrl+N)</translation>
        </message>
        <message>
            <source>New water connection</source>
            <translation>नया जल कनेक्शन</translation>
        </message>
        <message>
            <source>No connection chosen</source>
            <translation>कोई कनेक्शन नहीं चुना गया</translation>
        </message>
        <message>
            <source>Normal reading</source>
            <translation>सामान्य रीडिंग</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>टिप्पणी</translation>
        </message>
        <message>
            <source>Paid</source>
            <translation>भुगतान</translation>
        </message>
        <message>
            <source>Period</source>
            <translation>अवधि</translation>
        </message>
        <message>
            <source>Pipe size</source>
            <translation>पाइप का आकार</translation>
        </message>
        <message>
            <source>Property</source>
            <translation>संपत्ति</translation>
        </message>
        <message>
            <source>Property ID</source>
            <translation>संपत्ति आईडी</translation>
        </message>
        <message>
            <source>Quarterly</source>
            <translation>त्रैमासिक</translation>
        </message>
        <message>
            <source>Read the list again</source>
            <translation>सूची फिर से पढ़ें</translation>
        </message>
        <message>
            <source>Reading</source>
            <translation>रीडिंग</translation>
        </message>
        <message>
            <source>Reading date</source>
            <translation>रीडिंग दिनांक</translation>
        </message>
        <message>
            <source>Reading saved for %1: consumption %2</source>
            <translation>%1 की रीडिंग सहेजी गई: खपत %2</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>कारण</translation>
        </message>
        <message>
            <source>Reconnect %1</source>
            <translation>%1 पुनः जोड़ें</translation>
        </message>
        <message>
            <source>Reconnection fee</source>
            <translation>पुनः संयोजन शुल्क</translation>
        </message>
        <message>
            <source>Reconnect…</source>
            <translation>पुनः जोड़ें…</translation>
        </message>
        <message>
            <source>Record a meter reading</source>
            <translation>मीटर रीडिंग दर्ज करें</translation>
        </message>
        <message>
            <source>Regularisation fee</source>
            <translation>नियमितीकरण शुल्क</translation>
        </message>
        <message>
            <source>Regularising an illegal connection (regularisation fee instead of the connection fee)</source>
            <translation>अवैध कनेक्शन का नियमितीकरण (कनेक्शन शुल्क के स्थान पर नियमितीकरण शुल्क)</translation>
        </message>
        <message>
            <source>Saved: connection %1</source>
            <translation>सहेजा गया: कनेक्शन %1</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>स्थिति</translation>
        </message>
        <message>
            <source>The meter's first reading: its start (nothing is billed for it).</source>
            <translation>मीटर की पहली रीडिंग: उसकी शुरुआत (इस पर कोई बिल नहीं)।</translation>
        </message>
        <message>
            <source>The reconnection fee is raised; charges start again from the next month.</source>
            <translation>पुनः संयोजन शुल्क लगेगा; अगले माह से शुल्क फिर शुरू होगा।</translation>
        </message>
        <message>
            <source>Ward</source>
            <translation>वार्ड</translation>
        </message>
        <message>
            <source>Water charge</source>
            <translation>जल शुल्क</translation>
        </message>
        <message>
            <source>Water connections</source>
            <translation>जल कनेक्शन</translation>
        </message>
        <message>
            <source>Water demand %1: %2 charges raised, total %3; %4 were raised already.</source>
            <translation>जल मांग %1: %2 शुल्क लगाए गए, कुल %3; %4 पहले से लगे थे।</translation>
        </message>
        <message>
            <source>Worked out</source>
            <translation>गणना</translation>
        </message>
        <message>
            <source>e.g. W01-000123 (optional)</source>
            <translation>जैसे W01-000123 (वैकल्पिक)</translation>
        </message>
        <message>
            <source>last %1 on %2</source>
            <translation>पिछली %2 को %1</translation>
        </message>
        <message>
            <source>none yet</source>
            <translation>अभी कोई नहीं</translation>
        </message>
        <message>
            <source>since %1</source>
            <translation>%1 से</translation>
        </message>
    </context>
</TS>
