// Writes tests/data/fix/quickfix44.messages.log: FIX 4.4 messages built with QuickFIX 1.15.1's
// generated message classes and serialised by QuickFIX (Message::toString), one per line in
// QuickFIX's FileLog format "<time> : <message>". A developer tool, run once:
//   g++ -std=gnu++14 cmake/fix/make_quickfix_sample.cpp -lquickfix -o /tmp/mk && /tmp/mk > tests/data/fix/quickfix44.messages.log
#include <quickfix/fix44/ExecutionReport.h>
#include <quickfix/fix44/Heartbeat.h>
#include <quickfix/fix44/Logon.h>
#include <quickfix/fix44/Logout.h>
#include <quickfix/fix44/NewOrderSingle.h>
#include <quickfix/fix44/OrderCancelReject.h>
#include <quickfix/fix44/OrderCancelReplaceRequest.h>
#include <quickfix/fix44/OrderCancelRequest.h>
#include <quickfix/fix44/Reject.h>
#include <quickfix/fix44/ResendRequest.h>
#include <quickfix/fix44/SequenceReset.h>
#include <quickfix/fix44/TestRequest.h>
#include <quickfix/fix44/BusinessMessageReject.h>

#include <iostream>

namespace {
int seq = 0;
void emit(FIX::Message& m, bool from_client) {
    FIX::Header& h = m.getHeader();
    h.setField(FIX::SenderCompID(from_client ? "CLIENT1" : "EXECUTOR"));
    h.setField(FIX::TargetCompID(from_client ? "EXECUTOR" : "CLIENT1"));
    h.setField(FIX::MsgSeqNum(++seq));
    h.setField(FIX::SendingTime(FIX::UtcTimeStamp(21, 35, 38, 774, 7, 5, 2024)));
    std::cout << "20240507-21:35:38.774000000 : " << m.toString() << "\n";
}
FIX::UtcTimeStamp t() { return FIX::UtcTimeStamp(21, 35, 38, 775, 7, 5, 2024); }
} // namespace

int main() {
    FIX44::Logon logon(FIX::EncryptMethod(0), FIX::HeartBtInt(30));
    logon.set(FIX::ResetSeqNumFlag(true));
    emit(logon, true);
    emit(logon, false);
    FIX44::NewOrderSingle nos(FIX::ClOrdID("ord-1"), FIX::Side(FIX::Side_BUY), FIX::TransactTime(t()), FIX::OrdType(FIX::OrdType_LIMIT));
    nos.set(FIX::Symbol("AAPL"));
    nos.set(FIX::OrderQty(100));
    nos.set(FIX::Price(185.25));
    nos.set(FIX::TimeInForce(FIX::TimeInForce_DAY));
    FIX44::NewOrderSingle::NoPartyIDs party;
    party.set(FIX::PartyID("BRKR"));
    party.set(FIX::PartyIDSource(FIX::PartyIDSource_GENERALLY_ACCEPTED_MARKET_PARTICIPANT_IDENTIFIER));
    party.set(FIX::PartyRole(FIX::PartyRole_EXECUTING_FIRM));
    nos.addGroup(party);
    emit(nos, true);
    FIX44::ExecutionReport ack(FIX::OrderID("o1"), FIX::ExecID("e1"), FIX::ExecType(FIX::ExecType_NEW), FIX::OrdStatus(FIX::OrdStatus_NEW),
                               FIX::Side(FIX::Side_BUY), FIX::LeavesQty(100), FIX::CumQty(0), FIX::AvgPx(0));
    ack.set(FIX::ClOrdID("ord-1"));
    ack.set(FIX::Symbol("AAPL"));
    emit(ack, false);
    FIX44::ExecutionReport fill(FIX::OrderID("o1"), FIX::ExecID("e2"), FIX::ExecType(FIX::ExecType_TRADE), FIX::OrdStatus(FIX::OrdStatus_PARTIALLY_FILLED),
                                FIX::Side(FIX::Side_BUY), FIX::LeavesQty(60), FIX::CumQty(40), FIX::AvgPx(185.25));
    fill.set(FIX::ClOrdID("ord-1"));
    fill.set(FIX::Symbol("AAPL"));
    fill.set(FIX::LastQty(40));
    fill.set(FIX::LastPx(185.25));
    fill.set(FIX::TransactTime(t()));
    emit(fill, false);
    FIX44::OrderCancelReplaceRequest ocrr(FIX::OrigClOrdID("ord-1"), FIX::ClOrdID("ord-2"), FIX::Side(FIX::Side_BUY), FIX::TransactTime(t()),
                                          FIX::OrdType(FIX::OrdType_LIMIT));
    ocrr.set(FIX::Symbol("AAPL"));
    ocrr.set(FIX::OrderQty(200));
    ocrr.set(FIX::Price(185.5));
    emit(ocrr, true);
    FIX44::OrderCancelRequest ocr(FIX::OrigClOrdID("ord-2"), FIX::ClOrdID("ord-3"), FIX::Side(FIX::Side_BUY), FIX::TransactTime(t()));
    ocr.set(FIX::Symbol("AAPL"));
    emit(ocr, true);
    FIX44::OrderCancelReject ocj(FIX::OrderID("o1"), FIX::ClOrdID("ord-3"), FIX::OrigClOrdID("ord-2"), FIX::OrdStatus(FIX::OrdStatus_FILLED),
                                 FIX::CxlRejResponseTo(FIX::CxlRejResponseTo_ORDER_CANCEL_REQUEST));
    ocj.set(FIX::CxlRejReason(FIX::CxlRejReason_TOO_LATE_TO_CANCEL));
    emit(ocj, false);
    FIX44::TestRequest tr(FIX::TestReqID("t1"));
    emit(tr, false);
    FIX44::Heartbeat hb;
    hb.set(FIX::TestReqID("t1"));
    emit(hb, true);
    FIX44::ResendRequest rr(FIX::BeginSeqNo(3), FIX::EndSeqNo(0));
    emit(rr, true);
    FIX44::SequenceReset sr(FIX::NewSeqNo(20));
    sr.set(FIX::GapFillFlag(true));
    emit(sr, false);
    FIX44::Reject rj(FIX::RefSeqNum(5));
    rj.set(FIX::RefTagID(44));
    rj.set(FIX::SessionRejectReason(FIX::SessionRejectReason_VALUE_IS_INCORRECT));
    emit(rj, false);
    FIX44::BusinessMessageReject bj(FIX::RefMsgType("D"), FIX::BusinessRejectReason(FIX::BusinessRejectReason_UNSUPPORTED_MESSAGE_TYPE));
    emit(bj, false);
    FIX44::Logout lo;
    lo.set(FIX::Text("bye"));
    emit(lo, true);
    return 0;
}
