<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi_IN">
<context>
    <name>TradeTexts</name>
    <message>
        <source>enter the area and the road width</source>
        <translation>क्षेत्रफल और सड़क की चौड़ाई लिखें</translation>
    </message>
    <message>
        <source>Trade area (sq ft)</source>
        <translation>व्यापार क्षेत्रफल (वर्गफुट)</translation>
    </message>
    <message>
        <source>Road width in front (m)</source>
        <translation>सामने की सड़क की चौड़ाई (मीटर)</translation>
    </message>
    <message>
        <source>{field}: {value} is not a number</source>
        <translation>{field}: {value} संख्या नहीं है</translation>
    </message>
    <message>
        <source>Renewal application</source>
        <translation>नवीनीकरण आवेदन</translation>
    </message>
    <message>
        <source>New trade licence application</source>
        <translation>नया व्यापार अनुज्ञप्ति आवेदन</translation>
    </message>
    <message>
        <source>shops only</source>
        <translation>केवल दुकानों के लिए</translation>
    </message>
    <message>
        <source>10 digits</source>
        <translation>10 अंक</translation>
    </message>
    <message>
        <source>Reject application {number}</source>
        <translation>आवेदन {number} अस्वीकार करें</translation>
    </message>
    <message>
        <source>Reason (it is told to the applicant):</source>
        <translation>कारण (आवेदक को बताया जाएगा):</translation>
    </message>
    <message>
        <source>Trade name (English)</source>
        <translation>व्यापार का नाम (अंग्रेज़ी)</translation>
    </message>
    <message>
        <source>Trade name (Hindi)</source>
        <translation>व्यापार का नाम (हिंदी)</translation>
    </message>
    <message>
        <source>Owner (English)</source>
        <translation>स्वामी (अंग्रेज़ी)</translation>
    </message>
    <message>
        <source>Owner (Hindi)</source>
        <translation>स्वामी (हिंदी)</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>मोबाइल</translation>
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
        <source>Ward</source>
        <translation>वार्ड</translation>
    </message>
    <message>
        <source>Kind of trade</source>
        <translation>व्यापार का प्रकार</translation>
    </message>
    <message>
        <source>Property ID (optional)</source>
        <translation>संपत्ति क्र. (वैकल्पिक)</translation>
    </message>
    <message>
        <source>Fee for the year</source>
        <translation>वर्ष का शुल्क</translation>
    </message>
    <message>
        <source>Deemed granted since {day}</source>
        <translation>{day} से मान्य स्वीकृत</translation>
    </message>
    <message>
        <source>Expired on {day}</source>
        <translation>{day} को समाप्त</translation>
    </message>
    <message>
        <source>Fee due {amount}</source>
        <translation>शुल्क देय {amount}</translation>
    </message>
    <message>
        <source>Valid to {day}</source>
        <translation>{day} तक वैध</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>समाप्त</translation>
    </message>
    <message>
        <source>Expires in {days} days</source>
        <translation>{days} दिन में समाप्त</translation>
    </message>
    <message>
        <source>Select an application or licence on the left.</source>
        <translation>बाईं ओर से कोई आवेदन या अनुज्ञप्ति चुनें।</translation>
    </message>
    <message>
        <source>Application No.</source>
        <translation>आवेदन क्र.</translation>
    </message>
    <message>
        <source>Licence No.</source>
        <translation>अनुज्ञप्ति क्र.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>स्थिति</translation>
    </message>
    <message>
        <source>Trade</source>
        <translation>व्यापार</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>स्वामी</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>पता</translation>
    </message>
    <message>
        <source>Property ID</source>
        <translation>संपत्ति क्र.</translation>
    </message>
    <message>
        <source>{area} sq ft, road {width} m ({band})</source>
        <translation>{area} वर्गफुट, सड़क {width} मीटर ({band})</translation>
    </message>
    <message>
        <source>Licence year</source>
        <translation>अनुज्ञप्ति वर्ष</translation>
    </message>
    <message>
        <source>Applied on</source>
        <translation>आवेदन दिनांक</translation>
    </message>
    <message>
        <source>Decided on</source>
        <translation>निर्णय दिनांक</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>जमा</translation>
    </message>
    <message>
        <source>{amount} due at the counter</source>
        <translation>{amount} काउंटर पर देय</translation>
    </message>
    <message>
        <source>Licence fee</source>
        <translation>अनुज्ञप्ति शुल्क</translation>
    </message>
    <message>
        <source>Valid to</source>
        <translation>वैध दिनांक तक</translation>
    </message>
    <message>
        <source>Reason for rejection</source>
        <translation>अस्वीकृति का कारण</translation>
    </message>
    <message>
        <source>Deemed granted since {day}: not decided within the days the rules allow. Approve it now (no inspection needed) or record why not.</source>
        <translation>{day} से मान्य स्वीकृत: नियम में दी गई अवधि में निर्णय नहीं हुआ। अभी स्वीकृत करें (निरीक्षण आवश्यक नहीं) या कारण दर्ज करें।</translation>
    </message>
    <message>
        <source>This licence has expired: renew it.</source>
        <translation>यह अनुज्ञप्ति समाप्त हो गई है: नवीनीकरण करें।</translation>
    </message>
    <message>
        <source>system</source>
        <translation>सिस्टम</translation>
    </message>
    <message>
        <source>The fee is collected at the counter first</source>
        <translation>पहले काउंटर पर शुल्क जमा कराएँ</translation>
    </message>
    <message>
        <source>{number}: {status}</source>
        <translation>{number}: {status}</translation>
    </message>
    <message>
        <source>Making the certificate…</source>
        <translation>प्रमाणपत्र बन रहा है…</translation>
    </message>
    <message>
        <source>Certificate saved: {path}</source>
        <translation>प्रमाणपत्र सहेजा गया: {path}</translation>
    </message>
    <message>
        <source>Trade licences</source>
        <translation>व्यापार अनुज्ञप्ति</translation>
    </message>
    <message>
        <source>Applications and licences</source>
        <translation>आवेदन और अनुज्ञप्तियाँ</translation>
    </message>
    <message>
        <source>Renewal due</source>
        <translation>नवीनीकरण देय</translation>
    </message>
    <message>
        <source>Number, trade, owner or mobile (Ctrl+F)</source>
        <translation>क्रमांक, व्यापार, स्वामी या मोबाइल (Ctrl+F)</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>सभी स्थितियाँ</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>आवेदित</translation>
    </message>
    <message>
        <source>Document check</source>
        <translation>दस्तावेज़ जाँच</translation>
    </message>
    <message>
        <source>Inspection</source>
        <translation>निरीक्षण</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>स्वीकृत</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>जारी</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>अस्वीकृत</translation>
    </message>
    <message>
        <source>All wards</source>
        <translation>सभी वार्ड</translation>
    </message>
    <message>
        <source>Deemed granted only</source>
        <translation>केवल मान्य स्वीकृत</translation>
    </message>
    <message>
        <source>New application…</source>
        <translation>नया आवेदन…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>ताज़ा करें</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>स्वीकृत करें</translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation>अस्वीकार करें…</translation>
    </message>
    <message>
        <source>Issue licence</source>
        <translation>अनुज्ञप्ति जारी करें</translation>
    </message>
    <message>
        <source>Renew…</source>
        <translation>नवीनीकरण…</translation>
    </message>
    <message>
        <source>Print certificate</source>
        <translation>प्रमाणपत्र छापें</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>क्रमांक</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>प्रकार</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>टिप्पणी</translation>
    </message>
    <message>
        <source>When</source>
        <translation>कब</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>चरण</translation>
    </message>
    <message>
        <source>By</source>
        <translation>द्वारा</translation>
    </message>
    <message>
        <source>Remarks</source>
        <translation>अभ्युक्ति</translation>
    </message>
    <message>
        <source>History</source>
        <translation>इतिहास</translation>
    </message>
    <message>
        <source>Issued licences that expire within the notice period, and expired ones not yet renewed. Select one and press Renew to take the renewal application.</source>
        <translation>सूचना अवधि में समाप्त होने वाली जारी अनुज्ञप्तियाँ, और समाप्त अनुज्ञप्तियाँ जिनका नवीनीकरण नहीं हुआ। एक चुनें और नवीनीकरण आवेदन लेने के लिए "नवीनीकरण" दबाएँ।</translation>
    </message>
    <message>
        <source>State</source>
        <translation>अवस्था</translation>
    </message>
    <message>
        <source>Approved — fee due</source>
        <translation>स्वीकृत — शुल्क देय</translation>
    </message>
    <message>
        <source>Approved — fee paid</source>
        <translation>स्वीकृत — शुल्क जमा</translation>
    </message>
    <message>
        <source>Shop</source>
        <translation>दुकान</translation>
    </message>
    <message>
        <source>Gumti (kiosk)</source>
        <translation>गुमटी</translation>
    </message>
    <message>
        <source>Thela (handcart)</source>
        <translation>ठेला</translation>
    </message>
    <message>
        <source>Vehicle-based trade</source>
        <translation>वाहन आधारित व्यापार</translation>
    </message>
    <message>
        <source>New</source>
        <translation>नया</translation>
    </message>
    <message>
        <source>Renewal</source>
        <translation>नवीनीकरण</translation>
    </message>
    <message>
        <source>Application received</source>
        <translation>आवेदन प्राप्त</translation>
    </message>
    <message>
        <source>Sent for document check</source>
        <translation>दस्तावेज़ जाँच हेतु भेजा</translation>
    </message>
    <message>
        <source>Sent for inspection</source>
        <translation>निरीक्षण हेतु भेजा</translation>
    </message>
    <message>
        <source>Approved, fee raised</source>
        <translation>स्वीकृत, शुल्क माँग बनी</translation>
    </message>
    <message>
        <source>Licence issued</source>
        <translation>अनुज्ञप्ति जारी</translation>
    </message>
    <message>
        <source>road under 7.5 m</source>
        <translation>सड़क 7.5 मीटर से कम</translation>
    </message>
    <message>
        <source>road 7.5 m to 15 m</source>
        <translation>सड़क 7.5 से 15 मीटर</translation>
    </message>
    <message>
        <source>road over 15 m</source>
        <translation>सड़क 15 मीटर से अधिक</translation>
    </message>
</context>
<context>
    <name>TradeShortcuts</name>
    <message>
        <source>Search licences</source>
        <translation>अनुज्ञप्ति खोजें</translation>
    </message>
    <message>
        <source>New application</source>
        <translation>नया आवेदन</translation>
    </message>
    <message>
        <source>Print the licence certificate</source>
        <translation>अनुज्ञप्ति प्रमाणपत्र छापें</translation>
    </message>
</context>
<context>
    <name>Screens</name>
    <message>
        <source>Trade licences</source>
        <translation>व्यापार अनुज्ञप्ति</translation>
    </message>
</context>
</TS>
