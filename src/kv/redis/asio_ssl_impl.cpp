// Asio's SSL implementation, compiled once (BOOST_ASIO_SEPARATE_COMPILATION; util/boost_impl.cpp
// compiles the rest of Asio). Move this line there if another component starts using asio::ssl.
#include <boost/asio/ssl/impl/src.hpp>
